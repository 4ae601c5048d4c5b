"""The lifecycle per kind, resolution with its taxonomy, reopening and closing
resolved cases after N days, against the database."""

from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings

from amiable.accounts.models import User
from amiable.audit.models import AuditEvent
from amiable.cases.errors import CaseTransitionError
from amiable.cases.lifecycle import allowed_next
from amiable.cases.models import Case, CaseCategory, CaseKind, CaseStatus, RootCause
from amiable.cases.services import (
    case_autoclose_due,
    case_change_status,
    case_record_inbound,
    case_resolve,
)
from amiable.conversations.models import Channel, Interaction
from amiable.core.errors import ValidationError
from amiable.events.models import DomainEvent
from tests.cases.conftest import Clock, paris
from tests.factories import CaseFactory
from tests.factories.cases import CaseCategoryFactory, RootCauseFactory


def _fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


@pytest.mark.parametrize(
    ("kind", "status", "expected"),
    [
        (
            "question",
            "open",
            ["closed", "resolved", "waiting_customer", "waiting_third_party"],
        ),
        (
            "request",
            "new",
            ["closed", "open", "resolved", "waiting_customer", "waiting_third_party"],
        ),
        ("complaint", "open", ["resolved", "waiting_customer", "waiting_third_party"]),
        ("dispute", "waiting_customer", ["open", "resolved", "waiting_third_party"]),
        ("complaint", "resolved", ["closed", "open"]),
        ("dispute", "closed", ["open"]),
    ],
)
def test_each_kind_has_its_lifecycle(
    kind: str, status: str, expected: list[str]
) -> None:
    assert allowed_next(status, kind) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [CaseKind.COMPLAINT, CaseKind.DISPUTE])
def test_a_complaint_is_never_closed_without_being_resolved(
    agent: User, kind: str
) -> None:
    case = CaseFactory.create(kind=kind, status=CaseStatus.OPEN)

    with pytest.raises(CaseTransitionError) as caught:
        case_change_status(actor=agent, case=case, status=CaseStatus.CLOSED)

    assert caught.value.status == 409
    assert caught.value.extra == {
        "allowed": ["resolved", "waiting_customer", "waiting_third_party"]
    }
    assert (_fresh(case).status, _fresh(case).version) == (CaseStatus.OPEN, 1)


@pytest.mark.django_db
def test_resolving_needs_a_summary(agent: User) -> None:
    case = CaseFactory.create(kind=CaseKind.QUESTION)

    with pytest.raises(ValidationError) as caught:
        case_change_status(actor=agent, case=case, status=CaseStatus.RESOLVED)

    assert caught.value.fields == {
        "resolution_summary": ["Indiquez comment le dossier a été résolu."]
    }
    assert _fresh(case).status == CaseStatus.OPEN
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_a_complaint_needs_a_category_and_a_root_cause(agent: User) -> None:
    case = CaseFactory.create(kind=CaseKind.COMPLAINT, category="")

    with pytest.raises(ValidationError) as caught:
        case_resolve(actor=agent, case=case, resolution_summary="Remboursé")

    assert sorted(caught.value.fields) == ["category", "root_cause"]
    assert _fresh(case).status == CaseStatus.OPEN


@pytest.mark.django_db
def test_a_complaint_is_resolved_with_its_taxonomy(
    agent: User, delivery: CaseCategory, carrier_delay: RootCause
) -> None:
    case = CaseFactory.create(kind=CaseKind.COMPLAINT)

    resolved = case_resolve(
        actor=agent,
        case=case,
        resolution_summary="  Colis renvoyé en express.  ",
        category="delivery",
        root_cause=carrier_delay,
        expected_version=1,
    )

    assert (resolved.status, resolved.version) == (CaseStatus.RESOLVED, 2)
    assert resolved.resolution_summary == "Colis renvoyé en express."
    assert (resolved.category, resolved.root_cause) == ("delivery", carrier_delay)
    assert resolved.resolved_at is not None
    audit = AuditEvent.objects.get(action="case.resolve")
    assert audit.after["root_cause"] == carrier_delay.pk
    event = DomainEvent.objects.get(name="case.resolved")
    assert event.payload["root_cause_id"] == carrier_delay.pk
    assert event.payload["category"] == "delivery"


@pytest.mark.django_db
def test_the_stored_category_and_root_cause_count(
    agent: User, delivery: CaseCategory, carrier_delay: RootCause
) -> None:
    case = CaseFactory.create(
        kind=CaseKind.DISPUTE, category="delivery", root_cause=carrier_delay
    )

    resolved = case_change_status(
        actor=agent, case=case, status=CaseStatus.RESOLVED, resolution_summary="OK"
    )

    assert resolved.status == CaseStatus.RESOLVED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("use", "message"),
    [
        ("family", "Choisissez une cause de cette famille."),
        ("inactive", "Cette cause racine n’est plus utilisée."),
    ],
)
def test_a_root_cause_must_be_an_active_cause(
    agent: User,
    delivery: CaseCategory,
    carrier_delay: RootCause,
    use: str,
    message: str,
) -> None:
    causes: dict[str, RootCause] = {
        "family": RootCause.objects.get(code="logistics"),
        "inactive": RootCauseFactory.create(code="old", is_active=False),
    }
    case = CaseFactory.create(kind=CaseKind.COMPLAINT, category="delivery")

    with pytest.raises(ValidationError) as caught:
        case_resolve(
            actor=agent, case=case, resolution_summary="Fait", root_cause=causes[use]
        )

    assert caught.value.fields == {"root_cause": [message]}


@pytest.mark.django_db
def test_an_inactive_category_is_refused(agent: User, carrier_delay: RootCause) -> None:
    CaseCategoryFactory.create(code="legacy", is_active=False)
    case = CaseFactory.create(kind=CaseKind.COMPLAINT)

    with pytest.raises(ValidationError) as caught:
        case_resolve(
            actor=agent,
            case=case,
            resolution_summary="Fait",
            category="legacy",
            root_cause=carrier_delay,
        )

    assert caught.value.fields == {
        "category": ["Choisissez une catégorie active de la liste."]
    }


@pytest.mark.django_db
def test_resolving_twice_with_the_same_resolution_changes_nothing(agent: User) -> None:
    case = CaseFactory.create()
    case_resolve(actor=agent, case=case, resolution_summary="Fait")

    again = case_resolve(actor=agent, case=_fresh(case), resolution_summary="Fait")

    assert again.version == 2
    assert DomainEvent.objects.filter(name="case.resolved").count() == 1


@pytest.mark.django_db
def test_a_manual_reopen_counts(agent: User) -> None:
    case = CaseFactory.create()
    case_resolve(actor=agent, case=case, resolution_summary="Fait")

    reopened = case_change_status(
        actor=agent, case=_fresh(case), status=CaseStatus.OPEN
    )

    assert (reopened.status, reopened.reopened_count) == (CaseStatus.OPEN, 1)
    assert (reopened.resolved_at, reopened.closed_at) == (None, None)


@pytest.mark.django_db
def test_a_customer_reply_reopens_a_resolved_case_and_counts_it(agent: User) -> None:
    case = CaseFactory.create()
    case_resolve(actor=agent, case=case, resolution_summary="Fait")

    for number in (1, 2):
        case_record_inbound(
            customer=case.customer,
            case=_fresh(case),
            channel=Channel.EMAIL,
            body_text="Toujours pas reçu",
            external_id=f"<again-{number}@client.fr>",
        )

    stored = _fresh(case)
    assert (stored.status, stored.reopened_count) == (CaseStatus.OPEN, 1)


@pytest.mark.django_db
def test_resolved_cases_close_after_n_days_without_reply(
    agent: User, clock: Clock, settings: Settings
) -> None:
    settings.CASE_AUTOCLOSE_DAYS = 7
    clock.set(paris(2026, 5, 4, 10))
    old = CaseFactory.create()
    case_resolve(actor=agent, case=old, resolution_summary="Fait")
    clock.set(paris(2026, 5, 8, 10))
    recent = CaseFactory.create()
    case_resolve(actor=agent, case=recent, resolution_summary="Fait")
    clock.set(paris(2026, 5, 11, 10, 1))

    closed = case_autoclose_due()
    again = case_autoclose_due()

    assert (closed, again) == (1, 0)
    assert _fresh(old).status == CaseStatus.CLOSED
    assert _fresh(old).closed_at == paris(2026, 5, 11, 10, 1)
    assert _fresh(recent).status == CaseStatus.RESOLVED
    line = Interaction.objects.get(case=old, channel=Channel.SYSTEM)
    assert line.body_text == (
        "Fermé automatiquement : résolu il y a 7 jours sans réponse du client."
    )


@pytest.mark.django_db
def test_autoclose_stops_at_the_exact_boundary(
    agent: User, clock: Clock, settings: Settings
) -> None:
    settings.CASE_AUTOCLOSE_DAYS = 3
    clock.set(paris(2026, 5, 4, 10))
    case = CaseFactory.create()
    case_resolve(actor=agent, case=case, resolution_summary="Fait")

    clock.set(paris(2026, 5, 7, 9, 59))
    before = case_autoclose_due()
    clock.set(paris(2026, 5, 7, 10))
    at_boundary = case_autoclose_due()

    assert (before, at_boundary) == (0, 1)
