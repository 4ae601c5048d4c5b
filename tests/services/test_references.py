"""Case references: C-YYYY-NNNNNN, sequential per year, never reused."""

from __future__ import annotations

import datetime as dt

import pytest

from amiable.accounts.models import User
from amiable.cases.models import Case, CaseSequence
from amiable.cases.references import format_reference, reference_next
from amiable.cases.services import case_open
from amiable.customers.models import Customer


def _open_at(customer: Customer, agent: User, when: dt.datetime) -> str:
    return case_open(
        actor=agent, customer=customer, subject="Colis", occurred_at=when
    ).reference


@pytest.mark.parametrize(
    ("year", "number", "expected"),
    [
        (2026, 123, "C-2026-000123"),
        (2025, 1, "C-2025-000001"),
        (2030, 999999, "C-2030-999999"),
    ],
)
def test_format_reference(year: int, number: int, expected: str) -> None:
    assert format_reference(year, number) == expected


@pytest.mark.django_db
def test_references_are_sequential_per_year_across_the_new_year(
    customer: Customer, agent: User
) -> None:
    # Europe/Paris is UTC+1 in winter: 23:30 UTC on 31 December is already 2026 there.
    last_evening = dt.datetime(2025, 12, 31, 22, 30, tzinfo=dt.UTC)
    new_year = dt.datetime(2025, 12, 31, 23, 30, tzinfo=dt.UTC)
    references = [
        _open_at(customer, agent, dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC)),
        _open_at(customer, agent, last_evening),
        _open_at(customer, agent, new_year),
        _open_at(customer, agent, new_year + dt.timedelta(days=1)),
        # A backdated import in the old year continues the old year's numbers.
        _open_at(customer, agent, dt.datetime(2025, 6, 1, 9, tzinfo=dt.UTC)),
    ]

    assert references == [
        "C-2025-000001",
        "C-2025-000002",
        "C-2026-000001",
        "C-2026-000002",
        "C-2025-000003",
    ]
    assert dict(CaseSequence.objects.values_list("year", "last_number")) == {
        2025: 3,
        2026: 2,
    }


@pytest.mark.django_db
def test_a_reference_is_never_reused_after_its_case_is_deleted(
    customer: Customer, agent: User
) -> None:
    when = dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC)
    first = _open_at(customer, agent, when)
    Case.objects.filter(reference=first).delete()

    assert _open_at(customer, agent, when) == "C-2025-000002"


@pytest.mark.django_db
def test_reference_next_reserves_a_number_each_call() -> None:
    assert [reference_next(year=2027) for _ in range(3)] == [
        "C-2027-000001",
        "C-2027-000002",
        "C-2027-000003",
    ]
