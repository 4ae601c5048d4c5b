"""Case services: opening, assigning, status changes, replies, locking, calls, views."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core import mail

from amiable.accounts.models import User
from amiable.audit.models import AuditEvent
from amiable.cases.errors import CaseTransitionError, CaseVersionConflictError
from amiable.cases.models import Case, CaseStatus, SavedView
from amiable.cases.services import (
    case_add_note,
    case_assign,
    case_change_status,
    case_link_orders,
    case_log_call,
    case_open,
    case_record_inbound,
    case_reply,
    case_update,
    saved_view_delete,
    saved_view_save,
)
from amiable.conversations.models import Direction, Interaction
from amiable.core.errors import ErrorCode, PermissionDeniedError, ValidationError
from amiable.customers.models import Customer
from amiable.customers.services import customer_merge, identity_add
from amiable.events.catalogue import InteractionDeliveryRequested
from amiable.events.models import DomainEvent
from tests.factories import CaseFactory, CustomerFactory, OrderFactory, UserFactory

CaptureCallbacks = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]
OPENED = dt.datetime(2025, 5, 2, 8, 0, tzinfo=dt.UTC)


def _fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


@pytest.mark.django_db
def test_case_open_with_a_first_message(customer: Customer, agent: User) -> None:
    order = OrderFactory.create(customer=customer)

    case = case_open(
        actor=agent,
        customer=customer,
        subject="  Colis perdu  ",
        kind="complaint",
        priority="high",
        category=" livraison ",
        orders=[order],
        body_text="Mon colis n'est jamais arrivé.",
        external_id="<m1@mail.fr>",
        occurred_at=OPENED,
    )

    stored = _fresh(case)
    assert (stored.subject, stored.kind, stored.priority, stored.category) == (
        "Colis perdu",
        "complaint",
        "high",
        "livraison",
    )
    assert (stored.status, stored.opened_at, stored.last_activity_at) == (
        CaseStatus.NEW,
        OPENED,
        OPENED,
    )
    assert stored.reference == "C-2025-000001"
    assert list(stored.orders.all()) == [order]
    message = Interaction.objects.get(case=case)
    assert (message.direction, message.external_id, message.occurred_at) == (
        Direction.INBOUND,
        "<m1@mail.fr>",
        OPENED,
    )
    assert AuditEvent.objects.get(action="case.open").after["status"] == "new"


@pytest.mark.django_db
def test_case_open_with_an_assignee_is_open_in_their_team(
    customer: Customer, supervisor: User, agent: User
) -> None:
    case = case_open(
        actor=supervisor, customer=customer, subject="Retour", assignee=agent
    )

    assert (case.status, case.assignee, case.team_id) == (
        CaseStatus.OPEN,
        agent,
        agent.team_id,
    )
    assert not Interaction.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"subject": "   "}, "subject"),
        ({"kind": "rant"}, "kind"),
        ({"priority": "meh"}, "priority"),
        ({"channel": "pigeon"}, "channel"),
    ],
)
def test_case_open_validations(
    customer: Customer, agent: User, overrides: dict[str, str], field: str
) -> None:
    arguments = {"subject": "Colis", **overrides}
    with pytest.raises(ValidationError) as caught:
        case_open(actor=agent, customer=customer, **arguments)  # type: ignore[arg-type]
    assert list(caught.value.fields) == [field]
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_case_open_refuses_orders_of_another_customer(
    customer: Customer, agent: User
) -> None:
    foreign = OrderFactory.create(external_ref="CMD-OTHER")

    with pytest.raises(ValidationError) as caught:
        case_open(actor=agent, customer=customer, subject="Colis", orders=[foreign])

    assert caught.value.fields == {"order_ids": ["CMD-OTHER"]}
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_case_open_refuses_a_merged_customer(
    supervisor: User, customer: Customer
) -> None:
    customer_merge(actor=supervisor, source=customer, target=CustomerFactory.create())
    customer.refresh_from_db()

    with pytest.raises(ValidationError) as caught:
        case_open(actor=supervisor, customer=customer, subject="Colis")

    assert list(caught.value.fields) == ["customer_id"]


@pytest.mark.django_db
def test_case_open_with_a_bad_attachment_writes_nothing(
    customer: Customer, agent: User
) -> None:
    from amiable.conversations.attachments import AttachmentIn
    from amiable.conversations.errors import AttachmentRejectedError

    with pytest.raises(AttachmentRejectedError):
        case_open(
            actor=None,
            customer=customer,
            subject="Facture",
            body_text="Voir pièce jointe",
            attachments=[AttachmentIn("f.pdf", "application/pdf", b"MZ")],
        )

    assert not Case.objects.exists()
    assert not AuditEvent.objects.filter(action="case.open").exists()


@pytest.mark.django_db
def test_an_agent_cannot_open_a_case_for_someone_else(
    customer: Customer, agent: User, other_agent: User
) -> None:
    with pytest.raises(PermissionDeniedError):
        case_open(actor=agent, customer=customer, subject="Colis", assignee=other_agent)

    assert not Case.objects.exists()


@pytest.mark.django_db
def test_an_agent_takes_a_case_for_themselves(agent: User) -> None:
    case = CaseFactory.create(status=CaseStatus.NEW)

    assigned = case_assign(actor=agent, case=case, assignee=agent)

    assert (assigned.assignee, assigned.team_id, assigned.status, assigned.version) == (
        agent,
        agent.team_id,
        CaseStatus.OPEN,
        2,
    )
    event = AuditEvent.objects.get(action="case.assign")
    assert event.before == {
        "assignee": None,
        "team": None,
        "status": "new",
        "version": 1,
    }
    assert event.after == {
        "assignee": agent.pk,
        "team": agent.team_id,
        "status": "open",
        "version": 2,
    }


@pytest.mark.django_db
def test_an_agent_cannot_assign_someone_else(agent: User, other_agent: User) -> None:
    case = CaseFactory.create()

    with pytest.raises(PermissionDeniedError) as caught:
        case_assign(actor=agent, case=case, assignee=other_agent)

    assert caught.value.code == ErrorCode.PERMISSION_DENIED
    assert caught.value.status == 403
    assert list(caught.value.fields) == ["assignee_id"]
    assert (_fresh(case).assignee_id, _fresh(case).version) == (None, 1)


@pytest.mark.django_db
def test_an_agent_cannot_unassign_someone_else(agent: User, other_agent: User) -> None:
    case = CaseFactory.create(assignee=other_agent)

    with pytest.raises(PermissionDeniedError):
        case_assign(actor=agent, case=case, assignee=None)

    assert _fresh(case).assignee_id == other_agent.pk


@pytest.mark.django_db
def test_a_supervisor_assigns_and_unassigns_anyone(
    supervisor: User, other_agent: User
) -> None:
    case = CaseFactory.create()

    case_assign(actor=supervisor, case=case, assignee=other_agent)
    assert (_fresh(case).assignee_id, _fresh(case).team_id) == (
        other_agent.pk,
        other_agent.team_id,
    )
    case_assign(actor=supervisor, case=case, assignee=None)
    assert (_fresh(case).assignee_id, _fresh(case).team_id) == (
        None,
        other_agent.team_id,
    )


@pytest.mark.django_db
def test_an_inactive_user_cannot_be_assigned(supervisor: User) -> None:
    gone = UserFactory.create(is_active=False)
    case = CaseFactory.create()

    with pytest.raises(ValidationError) as caught:
        case_assign(actor=supervisor, case=case, assignee=gone)

    assert list(caught.value.fields) == ["assignee_id"]


CHANGED = "case.change_status"
RESOLVED_AUDIT = {"resolution_summary": "Colis renvoyé."}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "target", "action", "audited"),
    [
        (CaseStatus.NEW, CaseStatus.OPEN, CHANGED, {}),
        (CaseStatus.OPEN, CaseStatus.WAITING_CUSTOMER, CHANGED, {}),
        (CaseStatus.WAITING_CUSTOMER, CaseStatus.OPEN, CHANGED, {}),
        (
            CaseStatus.WAITING_THIRD_PARTY,
            CaseStatus.RESOLVED,
            "case.resolve",
            RESOLVED_AUDIT,
        ),
        (CaseStatus.RESOLVED, CaseStatus.CLOSED, CHANGED, {}),
    ],
)
def test_allowed_transitions(
    agent: User, start: str, target: str, action: str, audited: dict[str, str]
) -> None:
    case = CaseFactory.create(status=start)

    changed = case_change_status(
        actor=agent,
        case=case,
        status=target,
        expected_version=1,
        resolution_summary="Colis renvoyé.",
    )

    assert (_fresh(case).status, changed.version) == (target, 2)
    assert AuditEvent.objects.get(action=action).after == {
        "status": target,
        "version": 2,
        **audited,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "target", "allowed"),
    [
        (CaseStatus.RESOLVED, CaseStatus.WAITING_CUSTOMER, ["closed", "open"]),
        (CaseStatus.CLOSED, CaseStatus.RESOLVED, ["open"]),
        (
            CaseStatus.OPEN,
            CaseStatus.NEW,
            ["closed", "resolved", "waiting_customer", "waiting_third_party"],
        ),
    ],
)
def test_illegal_transitions_say_what_is_allowed(
    agent: User, start: str, target: str, allowed: list[str]
) -> None:
    case = CaseFactory.create(status=start)

    with pytest.raises(CaseTransitionError) as caught:
        case_change_status(actor=agent, case=case, status=target)

    assert caught.value.code == ErrorCode.INVALID_TRANSITION
    assert caught.value.status == 409
    assert caught.value.extra == {"allowed": allowed}
    assert (_fresh(case).status, _fresh(case).version) == (start, 1)


@pytest.mark.django_db
def test_an_unknown_status_is_a_validation_error(agent: User) -> None:
    with pytest.raises(ValidationError) as caught:
        case_change_status(actor=agent, case=CaseFactory.create(), status="lost")
    assert list(caught.value.fields) == ["status"]


@pytest.mark.django_db
def test_resolved_and_closed_stamps_are_set_and_cleared_on_reopen(agent: User) -> None:
    case = CaseFactory.create(status=CaseStatus.OPEN)

    case = case_change_status(
        actor=agent, case=case, status=CaseStatus.RESOLVED, resolution_summary="Fait"
    )
    resolved_at = case.resolved_at
    case = case_change_status(actor=agent, case=case, status=CaseStatus.CLOSED)
    assert resolved_at is not None
    assert (case.resolved_at, case.closed_at is not None) == (resolved_at, True)

    case = case_change_status(actor=agent, case=case, status=CaseStatus.OPEN)
    assert (case.resolved_at, case.closed_at, case.version) == (None, None, 4)
    assert case.reopened_count == 1


@pytest.mark.django_db
def test_closing_directly_also_stamps_resolution(agent: User) -> None:
    case = case_change_status(
        actor=agent, case=CaseFactory.create(), status=CaseStatus.CLOSED
    )

    assert case.closed_at is not None
    assert case.resolved_at == case.closed_at


@pytest.mark.django_db
def test_a_stale_version_is_a_conflict_and_changes_nothing(agent: User) -> None:
    case = CaseFactory.create(status=CaseStatus.OPEN)
    case_update(actor=agent, case=_fresh(case), expected_version=1, priority="high")
    audits = AuditEvent.objects.count()

    with pytest.raises(CaseVersionConflictError) as caught:
        case_update(actor=agent, case=case, expected_version=1, subject="Autre")
    with pytest.raises(CaseVersionConflictError):
        case_change_status(
            actor=agent, case=case, status=CaseStatus.RESOLVED, expected_version=1
        )
    with pytest.raises(CaseVersionConflictError):
        case_assign(actor=agent, case=case, assignee=agent, expected_version=1)
    with pytest.raises(CaseVersionConflictError):
        case_reply(actor=agent, case=case, body_text="Bonjour", expected_version=1)

    assert caught.value.code == ErrorCode.VERSION_CONFLICT
    assert caught.value.status == 409
    assert caught.value.extra == {"current_version": 2}
    stored = _fresh(case)
    assert (stored.version, stored.status, stored.priority, stored.assignee_id) == (
        2,
        CaseStatus.OPEN,
        "high",
        None,
    )
    assert stored.subject == case.subject
    assert not Interaction.objects.exists()
    assert AuditEvent.objects.count() == audits


@pytest.mark.django_db
def test_a_stale_version_is_a_conflict_even_when_the_status_already_matches(
    agent: User,
) -> None:
    case = CaseFactory.create(status=CaseStatus.OPEN)
    case_change_status(
        actor=agent,
        case=_fresh(case),
        status=CaseStatus.RESOLVED,
        expected_version=1,
        resolution_summary="Fait",
    )

    with pytest.raises(CaseVersionConflictError):
        case_change_status(
            actor=agent,
            case=_fresh(case),
            status=CaseStatus.RESOLVED,
            expected_version=1,
            resolution_summary="Fait",
        )


@pytest.mark.django_db
def test_transitions_are_checked_against_the_stored_status(agent: User) -> None:
    stale = CaseFactory.create(status=CaseStatus.OPEN)
    case_change_status(actor=agent, case=_fresh(stale), status=CaseStatus.CLOSED)

    with pytest.raises(CaseTransitionError):
        case_change_status(actor=agent, case=stale, status=CaseStatus.WAITING_CUSTOMER)

    assert _fresh(stale).status == CaseStatus.CLOSED


@pytest.mark.django_db
def test_case_update_changes_only_editable_fields(agent: User) -> None:
    case = CaseFactory.create(subject="Ancien")

    with pytest.raises(ValidationError) as caught:
        case_update(actor=agent, case=case, expected_version=1, status="closed")
    updated = case_update(
        actor=agent, case=case, expected_version=1, subject=" Nouveau ", kind="dispute"
    )

    assert list(caught.value.fields) == ["status"]
    assert (updated.subject, updated.kind, updated.version) == ("Nouveau", "dispute", 2)
    event = AuditEvent.objects.get(action="case.update")
    assert event.before == {"subject": "Ancien", "kind": "question", "version": 1}


@pytest.fixture
def reachable_case(customer: Customer, agent: User) -> Case:
    identity_add(actor=agent, customer=customer, kind="email", value="elodie@ex.fr")
    return CaseFactory.create(customer=customer, status=CaseStatus.NEW, subject="Colis")


def _delivery_requests() -> list[int]:
    """The interactions whose delivery was asked for: the events stored with them
    (their handler sends after the commit, or the relay if the process died)."""
    return [
        int(payload["interaction_id"])
        for payload in DomainEvent.objects.filter(
            name=InteractionDeliveryRequested.name
        ).values_list("payload", flat=True)
    ]


@pytest.mark.django_db
def test_a_reply_stamps_the_first_response_and_is_delivered_after_commit(
    agent: User,
    reachable_case: Case,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        reply = case_reply(
            actor=agent,
            case=reachable_case,
            body_text="Nous regardons.",
            status=CaseStatus.WAITING_CUSTOMER,
        )
        assert mail.outbox == []  # nothing leaves before the commit

    assert _delivery_requests() == [reply.pk]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == f"[{reachable_case.reference}] Colis"
    assert mail.outbox[0].to == ["elodie@ex.fr"]
    case = _fresh(reachable_case)
    assert case.first_responded_at == reply.occurred_at
    assert case.status == CaseStatus.WAITING_CUSTOMER
    assert (reply.direction, reply.author) == (Direction.OUTBOUND, agent)
    assert Interaction.objects.get(pk=reply.pk).metadata["delivery"] == "sent"


@pytest.mark.django_db
def test_a_later_reply_keeps_the_first_response_time(
    agent: User,
    reachable_case: Case,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    stale = _fresh(reachable_case)
    with django_capture_on_commit_callbacks(execute=True):
        first = case_reply(actor=agent, case=reachable_case, body_text="Un")
        second = case_reply(actor=agent, case=stale, body_text="Deux")

    case = _fresh(reachable_case)
    assert (case.first_responded_at, case.last_activity_at, case.status) == (
        first.occurred_at,
        second.occurred_at,
        CaseStatus.OPEN,
    )
    assert len(mail.outbox) == 2


@pytest.mark.django_db
@pytest.mark.parametrize("channel", ["note", "pigeon"])
def test_a_reply_on_a_wrong_channel_is_refused(
    agent: User,
    reachable_case: Case,
    channel: str,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError) as caught,
    ):
        case_reply(actor=agent, case=reachable_case, body_text="x", channel=channel)

    assert list(caught.value.fields) == ["channel"]
    assert callbacks == []
    assert _fresh(reachable_case).first_responded_at is None


@pytest.mark.django_db
def test_a_note_is_internal_and_not_delivered(
    agent: User,
    reachable_case: Case,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        note = case_add_note(actor=agent, case=reachable_case, body_text="VIP")

    assert _delivery_requests() == []
    assert mail.outbox == []
    assert (note.channel, note.direction) == ("note", Direction.INTERNAL)
    assert _fresh(reachable_case).first_responded_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status", [CaseStatus.RESOLVED, CaseStatus.CLOSED, CaseStatus.WAITING_CUSTOMER]
)
def test_a_customer_message_reopens_the_case(customer: Customer, status: str) -> None:
    case = CaseFactory.create(
        customer=customer,
        status=status,
        resolved_at=OPENED,
        closed_at=OPENED,
        last_activity_at=OPENED,
    )

    message = case_record_inbound(
        customer=customer,
        case=case,
        channel="email",
        body_text="Toujours rien reçu",
        external_id="<m2@mail.fr>",
        occurred_at=OPENED + dt.timedelta(days=2),
    )

    stored = _fresh(case)
    assert (stored.status, stored.resolved_at, stored.closed_at) == (
        CaseStatus.OPEN,
        None,
        None,
    )
    assert stored.last_activity_at == message.occurred_at
    assert stored.reopened_count == (0 if status == CaseStatus.WAITING_CUSTOMER else 1)


@pytest.mark.django_db
def test_a_replayed_customer_message_changes_nothing(customer: Customer) -> None:
    case = CaseFactory.create(customer=customer, status=CaseStatus.WAITING_CUSTOMER)
    arguments: dict[str, Any] = {
        "customer": customer,
        "channel": "email",
        "body_text": "Merci",
        "external_id": "<m3@mail.fr>",
    }
    case_record_inbound(case=case, **arguments)
    case_change_status(
        actor=None,
        case=_fresh(case),
        status=CaseStatus.RESOLVED,
        expected_version=2,
        resolution_summary="Merci reçu",
    )

    case_record_inbound(case=_fresh(case), **arguments)

    assert (_fresh(case).status, _fresh(case).version) == (CaseStatus.RESOLVED, 3)
    assert Interaction.objects.count() == 1


@pytest.mark.django_db
def test_an_old_customer_message_does_not_move_last_activity_back(
    customer: Customer,
) -> None:
    case = CaseFactory.create(customer=customer, last_activity_at=OPENED)

    case_record_inbound(
        customer=customer,
        case=case,
        channel="sms",
        body_text="Ancien SMS",
        occurred_at=OPENED - dt.timedelta(days=1),
    )

    assert _fresh(case).last_activity_at == OPENED


@pytest.mark.django_db
def test_an_answered_outbound_call_is_a_first_response(agent: User) -> None:
    case = CaseFactory.create(opened_at=OPENED, last_activity_at=OPENED)
    called_at = OPENED + dt.timedelta(hours=1)

    call = case_log_call(
        actor=agent,
        case=case,
        direction="outbound",
        duration_seconds=125,
        outcome="answered",
        occurred_at=called_at,
    )

    assert (call.channel, call.time_spent_seconds, call.metadata) == (
        "phone",
        125,
        {"duration_seconds": 125, "outcome": "answered"},
    )
    assert _fresh(case).first_responded_at == called_at


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("direction", "outcome"), [("outbound", "voicemail"), ("inbound", "answered")]
)
def test_other_calls_are_not_a_first_response(
    agent: User, direction: str, outcome: str
) -> None:
    case = CaseFactory.create()

    case_log_call(
        actor=agent, case=case, direction=direction, duration_seconds=0, outcome=outcome
    )

    assert _fresh(case).first_responded_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"direction": "internal"}, ["direction"]),
        ({"duration_seconds": -1}, ["duration_seconds"]),
        ({"duration_seconds": 24 * 3600 + 1}, ["duration_seconds"]),
        ({"outcome": "hung_up", "direction": "x"}, ["direction", "outcome"]),
    ],
)
def test_log_call_validations(
    agent: User, overrides: dict[str, Any], fields: list[str]
) -> None:
    case = CaseFactory.create()
    arguments = {"direction": "inbound", "duration_seconds": 60, "outcome": "answered"}

    with pytest.raises(ValidationError) as caught:
        case_log_call(actor=agent, case=case, **{**arguments, **overrides})

    assert sorted(caught.value.fields) == fields
    assert not Interaction.objects.exists()


@pytest.mark.django_db
def test_linking_orders_checks_their_owner(agent: User, customer: Customer) -> None:
    case = CaseFactory.create(customer=customer)
    own = OrderFactory.create(customer=customer)
    foreign = OrderFactory.create(external_ref="CMD-X")

    with pytest.raises(ValidationError) as caught:
        case_link_orders(actor=agent, case=case, orders=[own, foreign])
    linked = case_link_orders(actor=agent, case=case, orders=[own], expected_version=1)

    assert caught.value.fields == {"order_ids": ["CMD-X"]}
    assert list(linked.orders.all()) == [own]
    assert linked.version == 2


@pytest.mark.django_db
def test_saved_views_are_per_user_and_replaced_by_name(
    agent: User, other_agent: User
) -> None:
    first = saved_view_save(actor=agent, name=" Mes urgents ", query="?priority=urgent")
    again = saved_view_save(actor=agent, name="Mes urgents", query="priority=high")
    theirs = saved_view_save(actor=other_agent, name="Mes urgents", query="status=new")

    assert again.pk == first.pk
    assert SavedView.objects.get(pk=first.pk).query == "priority=high"
    with pytest.raises(PermissionDeniedError):
        saved_view_delete(actor=agent, view=theirs)
    with pytest.raises(ValidationError):
        saved_view_save(actor=agent, name="  ", query="")
    saved_view_delete(actor=agent, view=first)
    assert list(SavedView.objects.values_list("pk", flat=True)) == [theirs.pk]
