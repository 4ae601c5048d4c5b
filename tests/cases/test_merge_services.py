"""Merging cases through the services: what moves, what an undo restores
(exactly), what is refused (splitting: test_split_services.py; races:
test_merge_concurrency.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from amiable.accounts.models import Team, User
from amiable.audit.models import AuditEvent
from amiable.cases.errors import (
    CaseAlreadyMergedError,
    CaseMergeRefusedError,
    MergeAlreadyUndoneError,
    MergeUndoExpiredError,
)
from amiable.cases.models import (
    Case,
    CaseCost,
    CaseKind,
    CaseMerge,
    CaseMergeSource,
    CaseStatus,
    CostKind,
    SlaClock,
    SlaClockState,
    SlaMetric,
    SlaPolicy,
)
from amiable.cases.services import (
    case_change_status,
    case_cost_add,
    case_merge,
    case_merge_undo,
    case_open,
)
from amiable.conversations.models import Attachment, Channel, Interaction
from amiable.core.errors import ErrorCode, PermissionDeniedError, ValidationError
from amiable.core.money import Money
from amiable.customers.models import Customer
from amiable.events.models import DomainEvent
from amiable.gestures.models import Gesture
from amiable.promises.models import Promise
from tests.cases.conftest import CalendarMaker, Clock, paris
from tests.factories import (
    CaseFactory,
    CustomerFactory,
    InteractionFactory,
    OrderFactory,
)
from tests.factories.gestures import GestureFactory
from tests.factories.portal import AttachmentFactory
from tests.factories.promises import PromiseFactory


def _fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def _messages(case: Case) -> set[int]:
    return set(
        Interaction.objects.filter(case=case)
        .exclude(channel=Channel.SYSTEM)
        .values_list("pk", flat=True)
    )


def _lines(case: Case) -> list[str]:
    return list(
        Interaction.objects.filter(case=case, channel=Channel.SYSTEM)
        .order_by("id")
        .values_list("body_text", flat=True)
    )


@pytest.fixture
def customer(db: None) -> Customer:
    return CustomerFactory.create(name="Élodie Martin")


def _case_with_everything(customer: Customer, team: Team) -> Case:
    case = CaseFactory.create(customer=customer, team=team, subject="Colis abîmé")
    message = InteractionFactory.create(customer=customer, case=case)
    AttachmentFactory.create(interaction=message)
    InteractionFactory.create(customer=customer, case=case)
    PromiseFactory.create(customer=customer, case=case)
    GestureFactory.create(customer=customer, case=case)
    case_cost_add(
        actor=None,
        case=case,
        kind=CostKind.POSTAGE,
        cost=Money(Decimal("12.50"), "EUR"),
    )
    case.orders.add(OrderFactory.create(customer=customer))
    return case


@pytest.mark.django_db
def test_a_merge_moves_everything_and_closes_the_sources_with_a_line_each(
    customer: Customer, team: Team, agent: User
) -> None:
    target = CaseFactory.create(customer=customer, team=team, subject="Retard")
    kept = InteractionFactory.create(customer=customer, case=target)
    first = _case_with_everything(customer, team)
    second = _case_with_everything(customer, team)
    moved_messages = _messages(first) | _messages(second)

    result = case_merge(actor=agent, target=target, sources=[first, second])

    assert _messages(target) == moved_messages | {kept.pk}
    assert Attachment.objects.filter(interaction__case=target).count() == 2
    assert Promise.objects.filter(case=target).count() == 2
    assert Gesture.objects.filter(case=target).count() == 2
    assert CaseCost.objects.filter(case=target).count() == 2
    assert target.orders.count() == 2
    for source in (first, second):
        fresh = _fresh(source)
        assert fresh.status == CaseStatus.CLOSED
        assert _messages(fresh) == set()
        assert _lines(fresh) == [f"Fusionné dans {target.reference}."]
    assert _lines(target) == [
        f"{first.reference}, {second.reference} fusionné(s) dans ce dossier."
    ]
    assert result.moved_counts == {
        "conversations.interaction": 4,
        "promises.promise": 2,
        "gestures.gesture": 2,
        "cases.casecost": 2,
    }
    audits = AuditEvent.objects.filter(action__startswith="case.merge")
    assert sorted((a.action, int(a.object_id)) for a in audits) == sorted(
        [
            ("case.merge", target.pk),
            ("case.merge_into", first.pk),
            ("case.merge_into", second.pk),
        ]
    )
    event = DomainEvent.objects.get(name="case.merged")
    assert event.payload["merged_case_ids"] == [first.pk, second.pk]
    assert event.payload["case_id"] == target.pk


@pytest.mark.django_db
def test_undo_restores_exactly_what_moved_and_leaves_what_came_after(
    customer: Customer, team: Team, agent: User
) -> None:
    target = CaseFactory.create(customer=customer, team=team)
    target.orders.add(OrderFactory.create(customer=customer))
    source = _case_with_everything(customer, team)
    source_orders = set(source.orders.values_list("pk", flat=True))
    target_orders = set(target.orders.values_list("pk", flat=True))
    before = {
        "messages": _messages(source),
        "promises": set(
            Promise.objects.filter(case=source).values_list("pk", flat=True)
        ),
        "gestures": set(
            Gesture.objects.filter(case=source).values_list("pk", flat=True)
        ),
        "costs": set(CaseCost.objects.filter(case=source).values_list("pk", flat=True)),
        "status": source.status,
    }
    result = case_merge(actor=agent, target=target, sources=[source])
    later = InteractionFactory.create(customer=customer, case=target)

    case_merge_undo(actor=agent, merge=result.merge)

    source = _fresh(source)
    assert _messages(source) == before["messages"]
    assert (
        set(Promise.objects.filter(case=source).values_list("pk", flat=True))
        == (before["promises"])
    )
    assert (
        set(Gesture.objects.filter(case=source).values_list("pk", flat=True))
        == (before["gestures"])
    )
    assert (
        set(CaseCost.objects.filter(case=source).values_list("pk", flat=True))
        == (before["costs"])
    )
    assert (source.status, source.closed_at, source.resolved_at) == (
        before["status"],
        None,
        None,
    )
    assert set(source.orders.values_list("pk", flat=True)) == source_orders
    assert set(target.orders.values_list("pk", flat=True)) == target_orders
    assert _messages(target) == {later.pk}
    assert not CaseMergeSource.objects.filter(case=source, is_active=True).exists()
    assert _lines(source)[-1] == f"Fusion dans {target.reference} annulée."
    assert AuditEvent.objects.filter(action="case.merge_undo").count() == 2
    assert DomainEvent.objects.filter(name="case.merge_undone").count() == 1
    with pytest.raises(MergeAlreadyUndoneError):
        case_merge_undo(actor=agent, merge=result.merge)


@pytest.mark.django_db
def test_the_target_keeps_its_sla_and_an_undo_gives_the_source_its_clocks_back(
    customer: Customer,
    team: Team,
    agent: User,
    policy: SlaPolicy,
    make_calendar: CalendarMaker,
    clock: Clock,
) -> None:
    make_calendar(team=team)
    clock.set(paris(2026, 5, 4, 9))
    target = case_open(actor=None, customer=customer, subject="A", team=team)
    source = case_open(actor=None, customer=customer, subject="B", team=team)
    target_clocks = list(SlaClock.objects.filter(case=target).values())
    source_clocks = list(SlaClock.objects.filter(case=source).values())
    assert {c["state"] for c in source_clocks} == {SlaClockState.RUNNING}

    clock.set(paris(2026, 5, 4, 11))
    result = case_merge(actor=agent, target=target, sources=[source])

    assert list(SlaClock.objects.filter(case=target).values()) == target_clocks
    assert set(
        SlaClock.objects.filter(case=source).values_list("state", flat=True)
    ) == {SlaClockState.STOPPED}

    case_merge_undo(actor=agent, merge=result.merge)

    assert list(SlaClock.objects.filter(case=source).values()) == source_clocks
    resolution = SlaClock.objects.get(case=source, metric=SlaMetric.RESOLUTION)
    assert resolution.due_at == paris(2026, 5, 11, 18)


@pytest.mark.django_db
def test_a_merge_across_customers_is_refused_and_writes_nothing(
    customer: Customer, team: Team, agent: User
) -> None:
    target = CaseFactory.create(customer=customer, team=team)
    stranger = CaseFactory.create(team=team)
    InteractionFactory.create(customer=stranger.customer, case=stranger)

    with pytest.raises(CaseMergeRefusedError) as raised:
        case_merge(actor=agent, target=target, sources=[stranger])

    assert raised.value.code == ErrorCode.CASE_MERGE_REFUSED
    assert stranger.reference in raised.value.message
    assert _fresh(stranger).status == CaseStatus.OPEN
    assert not CaseMerge.objects.exists()


@pytest.mark.django_db
def test_a_merge_of_another_teams_case_is_refused(
    customer: Customer, team: Team, other_team: Team, agent: User
) -> None:
    target = CaseFactory.create(customer=customer, team=team)
    theirs = CaseFactory.create(customer=customer, team=other_team)

    with pytest.raises(PermissionDeniedError):
        case_merge(actor=agent, target=target, sources=[theirs])
    with pytest.raises(PermissionDeniedError):
        case_merge(actor=agent, target=theirs, sources=[target])
    assert not CaseMerge.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [CaseKind.DISPUTE])
def test_a_dispute_is_not_merged_into_another_case(
    customer: Customer, team: Team, agent: User, kind: str
) -> None:
    target = CaseFactory.create(customer=customer, team=team)
    dispute = CaseFactory.create(customer=customer, team=team, kind=kind)

    with pytest.raises(CaseMergeRefusedError):
        case_merge(actor=agent, target=target, sources=[dispute])


@pytest.mark.django_db
def test_merged_cases_cannot_be_merged_again_nor_be_a_target(
    customer: Customer, team: Team, agent: User
) -> None:
    target, source, third = CaseFactory.create_batch(3, customer=customer, team=team)
    case_merge(actor=agent, target=target, sources=[source])

    with pytest.raises(CaseAlreadyMergedError) as again:
        case_merge(actor=agent, target=third, sources=[source])
    with pytest.raises(CaseAlreadyMergedError):
        case_merge(actor=agent, target=source, sources=[third])
    with pytest.raises(CaseMergeRefusedError):
        case_merge(actor=agent, target=target, sources=[target])
    with pytest.raises(ValidationError):
        case_merge(actor=agent, target=target, sources=[])
    assert again.value.message == (
        f"{source.reference} a déjà été fusionné dans {target.reference}."
    )


@pytest.mark.django_db
def test_undo_is_refused_after_the_window(
    customer: Customer,
    team: Team,
    agent: User,
    clock: Clock,
    settings: pytest.FixtureRequest,
) -> None:
    settings.CASE_MERGE_UNDO_HOURS = 2  # type: ignore[attr-defined]
    target, source = CaseFactory.create_batch(2, customer=customer, team=team)
    result = case_merge(actor=agent, target=target, sources=[source])
    clock.advance(hours=2, minutes=1)

    with pytest.raises(MergeUndoExpiredError):
        case_merge_undo(actor=agent, merge=result.merge)
    assert _fresh(source).status == CaseStatus.CLOSED


@pytest.mark.django_db
def test_a_resolved_case_merged_then_unmerged_is_resolved_again_without_asking_twice(
    customer: Customer, team: Team, agent: User, clock: Clock
) -> None:
    resolved_at = clock.at - dt.timedelta(days=1)
    target = CaseFactory.create(customer=customer, team=team)
    source = CaseFactory.create(
        customer=customer,
        team=team,
        status=CaseStatus.RESOLVED,
        resolved_at=resolved_at,
        resolution_summary="Remboursé",
    )
    result = case_merge(actor=agent, target=target, sources=[source])
    assert _fresh(source).status == CaseStatus.CLOSED

    case_merge_undo(actor=agent, merge=result.merge)

    fresh = _fresh(source)
    assert (fresh.status, fresh.resolved_at, fresh.closed_at) == (
        CaseStatus.RESOLVED,
        resolved_at,
        None,
    )
    assert not DomainEvent.objects.filter(
        name="case.status_changed", payload__status=CaseStatus.RESOLVED
    ).exists()


@pytest.mark.django_db
def test_a_case_listed_twice_is_refused(
    customer: Customer, team: Team, agent: User
) -> None:
    target, source = CaseFactory.create_batch(2, customer=customer, team=team)

    with pytest.raises(ValidationError) as raised:
        case_merge(actor=agent, target=target, sources=[source, source])

    assert list(raised.value.fields) == ["case_ids"]
    assert not CaseMerge.objects.exists()


@pytest.mark.django_db
def test_a_merge_is_not_undone_once_a_merged_case_was_reopened(
    customer: Customer, team: Team, agent: User
) -> None:
    target, source = CaseFactory.create_batch(2, customer=customer, team=team)
    result = case_merge(actor=agent, target=target, sources=[source])
    case_change_status(actor=agent, case=_fresh(source), status=CaseStatus.OPEN)

    with pytest.raises(CaseMergeRefusedError) as raised:
        case_merge_undo(actor=agent, merge=result.merge)

    assert list(raised.value.fields) == ["merge"]
    assert CaseMerge.objects.get().undone_at is None
