"""Full-text search of cases through the inbox selector, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.cases.selectors import CaseFilters, case_list
from amiable.cases.services import case_update
from amiable.customers.models import Customer
from amiable.customers.services import customer_merge, customer_update
from tests.factories import CaseFactory, CustomerFactory


def _found(actor: User, text: str) -> list[str]:
    cases = case_list(actor=actor, filters=CaseFilters(text=text))
    return sorted(case.reference for case in cases)


@pytest.fixture
def elodie(db: None) -> Customer:
    return CustomerFactory.create(name="Élodie Lefèvre", company_name="Boulangerie")


@pytest.fixture
def late_parcel(elodie: Customer) -> Case:
    return CaseFactory.create(
        reference="C-2026-000123", customer=elodie, subject="Colis retardé à Noël"
    )


@pytest.fixture
def other_case(db: None) -> Case:
    return CaseFactory.create(
        reference="C-2026-000124",
        customer=CustomerFactory.create(name="Marc Petit"),
        subject="Facture en double",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("elodie", ["C-2026-000123"]),
        ("ÉLODIE LEFÈVRE", ["C-2026-000123"]),
        ("lefevre", ["C-2026-000123"]),
        ("boulangerie", ["C-2026-000123"]),
        ("retarde", ["C-2026-000123"]),
        ("noel", ["C-2026-000123"]),
        ("colis retar*", ["C-2026-000123"]),
        ("retar", []),
        ("colis elodie", ["C-2026-000123"]),
        ("colis facture", []),
        ("C-2026-000123", ["C-2026-000123"]),
        ("c-2026-000124", ["C-2026-000124"]),
        ("2026", ["C-2026-000123", "C-2026-000124"]),
        ("fact* petit", ["C-2026-000124"]),
        ("introuvable", []),
    ],
)
def test_case_search_matches_words_accents_prefixes_and_references(
    searcher: User, late_parcel: Case, other_case: Case, text: str, expected: list[str]
) -> None:
    assert _found(searcher, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"colis', ["C-2026-000123"]),
        ("colis\"'", ["C-2026-000123"]),
        ("-colis", ["C-2026-000123"]),
        ("colis NOT", []),
        ("colis OR facture", []),
        ("NEAR(colis retarde)", []),
        ("colis^ retarde:", ["C-2026-000123"]),
        ("subject:colis", []),
        ("(colis)", ["C-2026-000123"]),
        ("*", []),
        ("**colis**", ["C-2026-000123"]),
        ("-", []),
        ('"', []),
        ("😀", []),
        ("colis 😀", ["C-2026-000123"]),
        ("%_\\", []),
        ("", ["C-2026-000123", "C-2026-000124"]),
        ("   ", ["C-2026-000123", "C-2026-000124"]),
        ("colis " * 100, ["C-2026-000123"]),
    ],
)
def test_case_search_never_fails_on_special_characters(
    searcher: User, late_parcel: Case, other_case: Case, text: str, expected: list[str]
) -> None:
    assert _found(searcher, text) == expected


def test_case_subject_change_is_searchable(searcher: User, late_parcel: Case) -> None:
    case_update(
        actor=searcher, case=late_parcel, expected_version=None, subject="Remboursement"
    )

    assert (_found(searcher, "colis"), _found(searcher, "rembours*")) == (
        [],
        ["C-2026-000123"],
    )


def test_customer_rename_reaches_case_search(
    searcher: User, elodie: Customer, late_parcel: Case
) -> None:
    customer_update(actor=searcher, customer=elodie, name="Zoé Durand")

    assert (_found(searcher, "elodie"), _found(searcher, "zoe colis")) == (
        [],
        ["C-2026-000123"],
    )


def test_customer_merge_moves_cases_in_search(
    searcher: User, late_parcel: Case, other_case: Case, elodie: Customer
) -> None:
    customer_merge(actor=searcher, source=elodie, target=other_case.customer)

    assert _found(searcher, "petit colis") == ["C-2026-000123"]


def test_deleted_case_leaves_search(searcher: User, late_parcel: Case) -> None:
    Case.objects.filter(pk=late_parcel.pk).delete()

    assert _found(searcher, "colis") == []


def test_case_search_keeps_the_agent_scope(
    team_agent: User, outside_agent: User, late_parcel: Case
) -> None:
    Case.objects.filter(pk=late_parcel.pk).update(team=outside_agent.team)

    assert (_found(team_agent, "colis"), _found(outside_agent, "colis")) == (
        [],
        ["C-2026-000123"],
    )


@pytest.mark.parametrize("text", ["", "   ", "* - \" '", "😀"])
def test_search_filter_without_words_matches_nothing(
    late_parcel: Case, text: str
) -> None:
    from amiable.cases.search import case_search_filter

    assert list(case_search_filter(Case.objects.all(), text)) == []
