"""Opening a case, editing its fields, assigning it and linking orders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amiable.accounts.models import Team, User
from amiable.accounts.permissions import can_assign_others
from amiable.audit.services import audit_record, snapshot
from amiable.cases.models import (
    Case,
    CaseKind,
    CasePriority,
    CaseStatus,
)
from amiable.cases.references import reference_next
from amiable.cases.services.classification import (
    case_classification,
    classification_write,
    tag_names_clean,
)
from amiable.cases.services.routing import CaseFacts, assignment_pick, routing_decide
from amiable.cases.services.sla_clocks import sla_start
from amiable.cases.services.versioning import (
    CASE_AUDITED_FIELDS,
    _lock,
    _validate_choices,
    _write,
)
from amiable.commerce.models import Order
from amiable.conversations.attachments import AttachmentIn
from amiable.conversations.models import Channel, Direction
from amiable.conversations.services import (
    interaction_record,
)
from amiable.core.clock import now
from amiable.core.errors import PermissionDeniedError, ValidationError
from amiable.core.text import single_line
from amiable.core.unit_of_work import service_atomic
from amiable.customers.models import Customer, CustomerStatus
from amiable.events.catalogue import CaseAssigned, CaseOpened
from amiable.events.services import event_emit

EDITABLE_FIELDS = {"subject", "kind", "category", "priority"}


@service_atomic
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
    tags: Iterable[str] = (),
    custom_fields: Mapping[str, object] | None = None,
) -> Case:
    """Open a case for a customer, with the customer's first message if given,
    its tags and custom field values (checked by type; errors name ``tags`` or
    ``custom_fields.<key>``).

    Without a team or an assignee, the routing rules choose the team (a rule may
    ask for a tag); a team that assigns automatically hands the case to one of its
    available agents. The SLA clocks of the first matching policy start on the
    team's business calendar.
    """
    tag_names = tag_names_clean(tags)
    subject = single_line(subject)
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
    routed_by = ""
    if assignee is None:
        decision = (
            routing_decide(
                CaseFacts.of(
                    customer=customer,
                    kind=kind,
                    priority=priority,
                    channel=channel,
                    category=category.strip(),
                    tags=tag_names,
                )
            )
            if team is None
            else assignment_pick(team=team)
        )
        team, assignee, routed_by = (
            decision.team or team,
            decision.assignee,
            decision.rule,
        )
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
    classified = bool(tag_names or custom_fields) and classification_write(
        actor=actor, case=case, add_tags=tag_names, fields=custom_fields
    )
    audit_record(
        actor=actor,
        action="case.open",
        instance=case,
        after=snapshot(case, CASE_AUDITED_FIELDS)
        | ({"routing_rule": routed_by} if routed_by else {})
        | (case_classification(case) if classified else {}),
    )
    sla_start(case=case)
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
    event_emit(
        CaseOpened(
            case_id=case.pk,
            customer_id=customer.pk,
            kind=case.kind,
            priority=case.priority,
            channel=case.channel,
            team_id=case.team_id,
            assignee_id=case.assignee_id,
        ),
        actor=actor,
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
        changes["subject"] = single_line(str(changes["subject"]))[:255]
        if not changes["subject"]:
            raise ValidationError(
                _("A case needs a subject."), fields={"subject": [_("Required.")]}
            )
    case = _lock(case, expected_version=expected_version)
    before = snapshot(case, CASE_AUDITED_FIELDS)
    case = _write(case, expected_version=expected_version, changes=changes, actor=actor)
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
    previous_assignee_id = case.assignee_id
    case = _write(case, expected_version=expected_version, changes=changes, actor=actor)
    audit_record(
        actor=actor,
        action="case.assign",
        instance=case,
        before=before,
        after=snapshot(case, CASE_AUDITED_FIELDS),
    )
    if case.assignee_id != previous_assignee_id:
        event_emit(
            CaseAssigned(
                case_id=case.pk,
                customer_id=case.customer_id,
                previous_assignee_id=previous_assignee_id,
                assignee_id=case.assignee_id,
            ),
            actor=actor,
        )
    return case


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
    case = _write(case, expected_version=expected_version, changes={}, actor=actor)
    audit_record(
        actor=actor,
        action="case.link_orders",
        instance=case,
        after={"orders": [order.pk for order in order_list]},
    )
    return case
