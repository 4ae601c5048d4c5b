"""Case services: opening, assigning, answering and moving cases through their life.

Every function here is the single entry point for its use case (web, API, inbound
channels, imports and tasks all call it). Writes that change a case bump its
``version``; callers that read a version first pass it as ``expected_version`` and get
CaseVersionConflictError (409) when someone else changed the case meanwhile.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from amiable.accounts.models import Team, User
from amiable.accounts.permissions import can_assign_others
from amiable.audit.services import audit_record, snapshot
from amiable.cases.errors import CaseTransitionError, CaseVersionConflictError
from amiable.cases.lifecycle import allowed_next, is_allowed
from amiable.cases.models import (
    Case,
    CaseKind,
    CasePriority,
    CaseStatus,
    SavedView,
)
from amiable.cases.references import reference_next
from amiable.commerce.models import Order
from amiable.conversations.attachments import AttachmentIn
from amiable.conversations.models import Channel, Direction, Interaction
from amiable.conversations.services import (
    interaction_queue_delivery,
    interaction_record,
)
from amiable.core.clock import now
from amiable.core.errors import PermissionDeniedError, ValidationError
from amiable.customers.models import Customer, CustomerStatus

CASE_AUDITED_FIELDS = [
    "subject",
    "kind",
    "category",
    "priority",
    "status",
    "assignee",
    "team",
    "version",
]
EDITABLE_FIELDS = {"subject", "kind", "category", "priority"}
CALL_OUTCOMES = {"answered", "voicemail", "no_answer", "busy", "callback_requested"}


def _validate_choices(*, kind: str | None = None, priority: str | None = None) -> None:
    errors: dict[str, list[str]] = {}
    if kind is not None and kind not in CaseKind.values:
        errors["kind"] = [_("Unknown kind.")]
    if priority is not None and priority not in CasePriority.values:
        errors["priority"] = [_("Unknown priority.")]
    if errors:
        raise ValidationError(_("The case is not valid."), fields=errors)


def _write(
    case: Case, *, expected_version: int | None, changes: dict[str, Any]
) -> Case:
    """Apply ``changes`` and bump the version atomically; raise on a stale version."""
    queryset = Case.objects.filter(pk=case.pk)
    if expected_version is not None:
        queryset = queryset.filter(version=expected_version)
    updated = queryset.update(version=F("version") + 1, updated_at=now(), **changes)
    if updated == 0:
        current = (
            Case.objects.filter(pk=case.pk).values_list("version", flat=True).first()
        )
        raise _version_conflict(expected_version, current)
    case.refresh_from_db()
    return case


def _version_conflict(
    expected_version: int | None, current: int | None
) -> CaseVersionConflictError:
    return CaseVersionConflictError(
        _("Someone else changed this case meanwhile. Reload it and try again."),
        fields={
            "version": [
                _("Expected %(expected)s, current is %(current)s.")
                % {"expected": expected_version, "current": current}
            ]
        },
        extra={"current_version": current},
    )


def _lock(case: Case, *, expected_version: int | None = None) -> Case:
    """Re-read ``case`` under a row lock, so rules (allowed transitions, first
    response, reopening) run on its stored state, not on a stale copy; raise
    CaseVersionConflictError at once when ``expected_version`` is stale."""
    case.refresh_from_db(from_queryset=Case.objects.select_for_update())
    if expected_version is not None and case.version != expected_version:
        raise _version_conflict(expected_version, case.version)
    return case


@transaction.atomic
def case_open(
    *,
    actor: User | None,
    customer: Customer,
    subject: str,
    kind: str = CaseKind.QUESTION,
    priority: str = CasePriority.NORMAL,
    category: str = "",
    channel: str = Channel.EMAIL,
    team: Team | None = None,
    assignee: User | None = None,
    orders: Iterable[Order] = (),
    body_text: str = "",
    body_html: str = "",
    external_id: str = "",
    occurred_at: dt.datetime | None = None,
    attachments: Iterable[AttachmentIn] = (),
) -> Case:
    """Open a case for a customer, with the customer's first message if given."""
    subject = subject.strip()
    if not subject:
        raise ValidationError(
            _("A case needs a subject."), fields={"subject": [_("Required.")]}
        )
    _validate_choices(kind=kind, priority=priority)
    if channel not in Channel.values:
        raise ValidationError(
            _("Unknown channel."), fields={"channel": [_("Unknown.")]}
        )
    if customer.status == CustomerStatus.MERGED:
        raise ValidationError(
            _("This customer was merged; use the surviving one."),
            fields={"customer_id": [_("Merged customer.")]},
        )
    order_list = list(orders)
    foreign = [
        order.external_ref for order in order_list if order.customer_id != customer.pk
    ]
    if foreign:
        raise ValidationError(
            _("These orders belong to another customer."),
            fields={"order_ids": [", ".join(foreign)]},
        )
    if (
        actor is not None
        and assignee is not None
        and assignee.pk != actor.pk
        and not can_assign_others(actor)
    ):
        raise PermissionDeniedError(
            _("Only supervisors can assign a case to someone else."),
            fields={"assignee_id": [_("Not allowed.")]},
        )
    opened_at = occurred_at or now()
    if team is None and assignee is not None:
        team = assignee.team
    case = Case.objects.create(
        # The year a person in our time zone sees (a case opened at 00:30 on
        # 1 January, Paris time, belongs to the new year even though UTC disagrees).
        reference=reference_next(year=timezone.localtime(opened_at).year),
        customer=customer,
        subject=subject[:255],
        kind=kind,
        priority=priority,
        category=category.strip(),
        channel=channel,
        team=team,
        assignee=assignee,
        status=CaseStatus.OPEN if assignee else CaseStatus.NEW,
        opened_at=opened_at,
        last_activity_at=opened_at,
    )
    if order_list:
        case.orders.set(order_list)
    audit_record(
        actor=actor,
        action="case.open",
        instance=case,
        after=snapshot(case, CASE_AUDITED_FIELDS),
    )
    if body_text.strip() or body_html.strip():
        interaction_record(
            actor=actor,
            customer=customer,
            case=case,
            channel=channel,
            direction=Direction.INBOUND,
            subject=subject,
            body_text=body_text,
            body_html=body_html,
            occurred_at=opened_at,
            external_id=external_id,
            attachments=attachments,
        )
    return case


@transaction.atomic
def case_update(
    *, actor: User, case: Case, expected_version: int | None, **changes: Any
) -> Case:
    """Change a case's subject, kind, category or priority."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here."),
            fields={
                name: [_("Unknown or read-only field.")] for name in sorted(unknown)
            },
        )
    _validate_choices(kind=changes.get("kind"), priority=changes.get("priority"))
    if "subject" in changes:
        changes["subject"] = str(changes["subject"]).strip()[:255]
        if not changes["subject"]:
            raise ValidationError(
                _("A case needs a subject."), fields={"subject": [_("Required.")]}
            )
    case = _lock(case, expected_version=expected_version)
    before = snapshot(case, CASE_AUDITED_FIELDS)
    case = _write(case, expected_version=expected_version, changes=changes)
    audit_record(
        actor=actor,
        action="case.update",
        instance=case,
        before=before,
        after=snapshot(case, CASE_AUDITED_FIELDS),
    )
    return case


@transaction.atomic
def case_assign(
    *,
    actor: User,
    case: Case,
    assignee: User | None,
    team: Team | None = None,
    expected_version: int | None = None,
) -> Case:
    """Give the case to an agent (and their team unless another is named).

    Agents may only take a case for themselves; supervisors and above assign anyone.
    """
    case = _lock(case, expected_version=expected_version)
    if (
        assignee is not None
        and assignee.pk != actor.pk
        and not can_assign_others(actor)
    ):
        raise PermissionDeniedError(
            _("Only supervisors can assign a case to someone else."),
            fields={"assignee_id": [_("Not allowed.")]},
        )
    if (
        assignee is None
        and case.assignee_id not in {None, actor.pk}
        and not (can_assign_others(actor))
    ):
        raise PermissionDeniedError(_("Only supervisors can unassign someone else."))
    if assignee is not None and not assignee.is_active:
        raise ValidationError(
            _("This user is deactivated."),
            fields={"assignee_id": [_("Inactive user.")]},
        )
    changes: dict[str, Any] = {"assignee": assignee}
    new_team = team if team is not None else (assignee.team if assignee else case.team)
    changes["team"] = new_team
    if case.status == CaseStatus.NEW and assignee is not None:
        changes["status"] = CaseStatus.OPEN
    before = snapshot(case, CASE_AUDITED_FIELDS)
    case = _write(case, expected_version=expected_version, changes=changes)
    audit_record(
        actor=actor,
        action="case.assign",
        instance=case,
        before=before,
        after=snapshot(case, CASE_AUDITED_FIELDS),
    )
    return case


@transaction.atomic
def case_change_status(
    *, actor: User | None, case: Case, status: str, expected_version: int | None = None
) -> Case:
    """Move a case to ``status``; raise CaseTransitionError (409) if not allowed."""
    if status not in CaseStatus.values:
        raise ValidationError(_("Unknown status."), fields={"status": [_("Unknown.")]})
    case = _lock(case, expected_version=expected_version)
    if status == case.status:
        return case
    if not is_allowed(case.status, status):
        raise CaseTransitionError(
            _("A case cannot go from %(current)s to %(target)s.")
            % {
                "current": case.get_status_display(),
                "target": CaseStatus(status).label,
            },
            fields={
                "status": [
                    _("Allowed: %(allowed)s")
                    % {"allowed": ", ".join(allowed_next(case.status))}
                ]
            },
            extra={"allowed": allowed_next(case.status)},
        )
    stamp = now()
    changes: dict[str, Any] = {"status": status, "last_activity_at": stamp}
    if status == CaseStatus.RESOLVED:
        changes["resolved_at"] = stamp
    elif status == CaseStatus.CLOSED:
        changes["closed_at"] = stamp
        if case.resolved_at is None:
            changes["resolved_at"] = stamp
    elif case.status in {CaseStatus.RESOLVED, CaseStatus.CLOSED}:
        changes["resolved_at"] = None
        changes["closed_at"] = None
    before = snapshot(case, CASE_AUDITED_FIELDS)
    case = _write(case, expected_version=expected_version, changes=changes)
    audit_record(
        actor=actor,
        action="case.change_status",
        instance=case,
        before=before,
        after=snapshot(case, CASE_AUDITED_FIELDS),
    )
    return case


@transaction.atomic
def case_reply(
    *,
    actor: User,
    case: Case,
    body_text: str,
    body_html: str = "",
    channel: str = Channel.EMAIL,
    attachments: Iterable[AttachmentIn] = (),
    status: str | None = None,
    expected_version: int | None = None,
) -> Interaction:
    """Send a public reply to the customer; queue its delivery after commit.

    Stamps the first response, opens a new case, and optionally moves the case to
    ``status`` (e.g. waiting on the customer).
    """
    if channel in {Channel.NOTE}:
        raise ValidationError(
            _("A reply goes to the customer."),
            fields={"channel": [_("Use an internal note instead.")]},
        )
    case = _lock(case, expected_version=expected_version)
    recorded = interaction_record(
        actor=actor,
        customer=case.customer,
        case=case,
        channel=channel,
        direction=Direction.OUTBOUND,
        subject=f"[{case.reference}] {case.subject}",
        body_text=body_text,
        body_html=body_html,
        attachments=attachments,
    )
    interaction = recorded.interaction
    stamp = interaction.occurred_at
    changes: dict[str, Any] = {"last_activity_at": stamp}
    if case.first_responded_at is None:
        changes["first_responded_at"] = stamp
    if case.status == CaseStatus.NEW:
        changes["status"] = CaseStatus.OPEN
    case = _write(case, expected_version=expected_version, changes=changes)
    if status is not None and status != case.status:
        case_change_status(actor=actor, case=case, status=status)
    interaction_queue_delivery(interaction=interaction)
    return interaction


@transaction.atomic
def case_add_note(
    *, actor: User, case: Case, body_text: str, expected_version: int | None = None
) -> Interaction:
    """Add an internal note, visible to staff only."""
    recorded = interaction_record(
        actor=actor,
        customer=case.customer,
        case=case,
        channel=Channel.NOTE,
        direction=Direction.INTERNAL,
        body_text=body_text,
    )
    _write(
        case,
        expected_version=expected_version,
        changes={"last_activity_at": recorded.interaction.occurred_at},
    )
    return recorded.interaction


@transaction.atomic
def case_log_call(
    *,
    actor: User,
    case: Case,
    direction: str,
    duration_seconds: int,
    outcome: str,
    notes: str = "",
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Interaction:
    """Log a phone call on the case (an outbound answered call counts as a response)."""
    errors: dict[str, list[str]] = {}
    if direction not in {Direction.INBOUND, Direction.OUTBOUND}:
        errors["direction"] = [_("Inbound or outbound.")]
    if duration_seconds < 0 or duration_seconds > 24 * 3600:
        errors["duration_seconds"] = [_("Between 0 and 24 hours.")]
    if outcome not in CALL_OUTCOMES:
        errors["outcome"] = [_("Unknown outcome.")]
    if errors:
        raise ValidationError(_("The call cannot be logged."), fields=errors)
    case = _lock(case, expected_version=expected_version)
    recorded = interaction_record(
        actor=actor,
        customer=case.customer,
        case=case,
        channel=Channel.PHONE,
        direction=direction,
        body_text=notes,
        occurred_at=occurred_at,
        time_spent_seconds=duration_seconds,
        metadata={"duration_seconds": duration_seconds, "outcome": outcome},
    )
    stamp = recorded.interaction.occurred_at
    changes: dict[str, Any] = {"last_activity_at": max(stamp, case.last_activity_at)}
    if (
        direction == Direction.OUTBOUND
        and outcome == "answered"
        and case.first_responded_at is None
    ):
        changes["first_responded_at"] = stamp
    _write(case, expected_version=expected_version, changes=changes)
    return recorded.interaction


@transaction.atomic
def case_record_inbound(
    *,
    customer: Customer,
    case: Case,
    channel: str,
    body_text: str,
    body_html: str = "",
    subject: str = "",
    external_id: str = "",
    occurred_at: dt.datetime | None = None,
    attachments: Iterable[AttachmentIn] = (),
) -> Interaction:
    """A customer's message on an existing case: waiting or resolved cases reopen."""
    case = _lock(case)
    recorded = interaction_record(
        actor=None,
        customer=customer,
        case=case,
        channel=channel,
        direction=Direction.INBOUND,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        external_id=external_id,
        occurred_at=occurred_at,
        attachments=attachments,
    )
    if recorded.created:
        stamp = recorded.interaction.occurred_at
        changes: dict[str, Any] = {
            "last_activity_at": max(stamp, case.last_activity_at)
        }
        if case.status in {
            CaseStatus.WAITING_CUSTOMER,
            CaseStatus.RESOLVED,
            CaseStatus.CLOSED,
        }:
            changes.update(status=CaseStatus.OPEN, resolved_at=None, closed_at=None)
        _write(case, expected_version=None, changes=changes)
    return recorded.interaction


@transaction.atomic
def case_link_orders(
    *,
    actor: User,
    case: Case,
    orders: Iterable[Order],
    expected_version: int | None = None,
) -> Case:
    """Link orders of the case's customer to the case."""
    order_list = list(orders)
    foreign = [
        order.external_ref
        for order in order_list
        if order.customer_id != case.customer_id
    ]
    if foreign:
        raise ValidationError(
            _("These orders belong to another customer."),
            fields={"order_ids": [", ".join(foreign)]},
        )
    case.orders.add(*order_list)
    case = _write(case, expected_version=expected_version, changes={})
    audit_record(
        actor=actor,
        action="case.link_orders",
        instance=case,
        after={"orders": [order.pk for order in order_list]},
    )
    return case


@transaction.atomic
def saved_view_save(*, actor: User, name: str, query: str) -> SavedView:
    """Create or replace the actor's saved inbox view called ``name``."""
    name = name.strip()[:80]
    if not name:
        raise ValidationError(
            _("Give the view a name."), fields={"name": [_("Required.")]}
        )
    view, _created = SavedView.objects.update_or_create(
        user=actor, name=name, defaults={"query": query.lstrip("?")[:1000]}
    )
    return view


@transaction.atomic
def saved_view_delete(*, actor: User, view: SavedView) -> None:
    if view.user_id != actor.pk:
        raise PermissionDeniedError(_("This view is not yours."))
    view.delete()
