"""API of cases: the inbox list, opening, editing with optimistic locking (409 on a
stale ``version``), assigning, moving status, replying, notes, calls, customers'
messages, linked orders. Replies, notes and messages take JSON, or the same fields as
multipart/form-data with files in ``attachments``.

Cases the caller may not see answer 404, exactly like cases that do not exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Query
from ninja.files import UploadedFile
from ninja.responses import Status

from amiable.accounts.models import Team, User
from amiable.accounts.permissions import can_assign_others
from amiable.accounts.selectors import team_list, user_list_assignable
from amiable.api.auth import actor_of
from amiable.api.multipart import JsonOrForm, json_or_multipart
from amiable.api.pagination import page_of
from amiable.api.schemas import ErrorOut, Id, PageOut
from amiable.cases import selectors, services
from amiable.cases.api.router import router
from amiable.cases.custom_values import field_filter_value
from amiable.cases.models import Case
from amiable.cases.schemas import (
    KNOWN_ORDER_IDS,
    CaseAssignIn,
    CaseCallIn,
    CaseDetailOut,
    CaseLinkOrdersIn,
    CaseListQuery,
    CaseMessageIn,
    CaseNoteIn,
    CaseOpenIn,
    CaseOut,
    CaseReplyIn,
    CaseStatusIn,
    CaseUpdateIn,
)
from amiable.commerce.models import Order
from amiable.commerce.selectors import order_list
from amiable.conversations.attachments import attachments_from_uploads
from amiable.conversations.models import Interaction
from amiable.conversations.schemas import InteractionOut
from amiable.conversations.selectors import (
    interaction_get,
    interaction_get_by_external_id,
)
from amiable.core.access import STAFF, SUPERVISORS_TEAM, TEAM, access
from amiable.core.errors import (
    DuplicateError,
    PermissionDeniedError,
    ValidationError,
)
from amiable.core.unit_of_work import unit_of_work
from amiable.customers.models import Customer
from amiable.customers.selectors import customer_get

ERRORS: dict[int, type[ErrorOut]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


def _team(actor: User, team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    team = team_list(actor=actor).filter(pk=team_id).first()
    if team is None:
        raise ValidationError(
            _("No such team."), fields={"team_id": [_("No such team.")]}
        )
    return team


def _assignee(actor: User, user_id: int | None) -> User | None:
    if user_id is None:
        return None
    user = user_list_assignable(actor=actor).filter(pk=user_id).first()
    if user is None:
        raise ValidationError(
            _("No such user."), fields={"assignee_id": [_("No such user.")]}
        )
    return user


def _orders(actor: User, customer_id: int, order_ids: Sequence[int]) -> list[Order]:
    if not order_ids:
        return []
    orders = list(
        order_list(actor=actor, customer_id=customer_id).filter(pk__in=order_ids)
    )
    missing = sorted(set(order_ids) - {order.pk for order in orders})
    if missing:
        raise ValidationError(
            _("These orders do not exist or belong to another customer."),
            fields={"order_ids": [", ".join(str(pk) for pk in missing)]},
        )
    return orders


def _detail(actor: User, case_id: int) -> Case:
    return selectors.case_get(actor=actor, case_id=case_id)


@router.get("", response={200: PageOut[CaseOut], **ERRORS})
@access(STAFF)
def case_list_api(request: HttpRequest, params: Query[CaseListQuery]) -> dict[str, Any]:
    """The inbox: visible cases, filtered, sorted; ``q`` is a full-text search,
    ``tag`` a tag's name, ``field`` and ``field_value`` a custom field's value."""
    actor = actor_of(request)
    queryset = selectors.case_list(
        actor=actor,
        filters=selectors.CaseFilters(
            statuses=tuple(params.status),
            kinds=tuple(params.kind),
            priorities=tuple(params.priority),
            team_id=params.team_id,
            assignee=params.assignee,
            customer_id=params.customer_id,
            text=params.q,
            open_only=params.open_only,
            sla_states=tuple(params.sla_state),
            escalation_levels=tuple(params.escalation_level),
            tag=params.tag.strip(),
            field_key=params.field,
            field_value=_field_filter_value(actor, params.field, params.field_value),
        ),
    ).prefetch_related(*selectors.CLASSIFICATION_PREFETCH)
    return page_of(
        queryset,
        ordering=selectors.SORTS[params.sort],
        limit=params.limit,
        cursor=params.cursor,
    )


@router.post("", response={201: CaseDetailOut, **ERRORS})
@access(STAFF)
def case_open_api(request: HttpRequest, payload: CaseOpenIn) -> Status[Case]:
    """Open a case, with the customer's first message when a body is given."""
    actor = actor_of(request)
    if (
        payload.assignee_id is not None
        and payload.assignee_id != actor.pk
        and not can_assign_others(actor)
    ):
        raise PermissionDeniedError(
            _("Only supervisors can assign a case to someone else."),
            fields={"assignee_id": [_("Not allowed.")]},
        )
    customer = customer_get(
        actor=actor, customer_id=payload.customer_id, with_tags=False
    )
    # One transaction, audit lines and events in bulk; inside an idempotent POST
    # it is the request's own transaction, which an error rolls back whole.
    orders = _orders(actor, customer.pk, payload.order_ids)
    with unit_of_work(savepoint=False):
        case = _case_open(actor, customer, payload, orders)
    setattr(case, KNOWN_ORDER_IDS, [order.pk for order in orders])  # noqa: B010
    if not payload.tags and not payload.custom_fields:
        selectors.classification_known_empty(case)  # nothing to read back
    # The case as written (no second read): datetimes as the database gives them.
    for field in Case._meta.concrete_fields:
        value = getattr(case, field.attname)
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            setattr(case, field.attname, value.astimezone(dt.UTC))
    return Status(201, case)


def _case_open(
    actor: User, customer: Customer, payload: CaseOpenIn, orders: list[Order]
) -> Case:
    return services.case_open(
        actor=actor,
        customer=customer,
        subject=payload.subject,
        kind=payload.kind,
        priority=payload.priority,
        category=payload.category,
        channel=payload.channel,
        team=_team(actor, payload.team_id),
        assignee=_assignee(actor, payload.assignee_id),
        orders=orders,
        body_text=payload.body_text,
        body_html=payload.body_html,
        external_id=payload.external_id,
        occurred_at=payload.occurred_at,
        tags=payload.tags,
        custom_fields=payload.custom_fields,
    )


@router.get("/{case_id}", response={200: CaseDetailOut, **ERRORS})
@access(TEAM)
def case_get_api(request: HttpRequest, case_id: Id) -> Case:
    return _detail(actor_of(request), case_id)


@router.patch("/{case_id}", response={200: CaseDetailOut, **ERRORS})
@access(TEAM)
def case_update_api(request: HttpRequest, case_id: Id, payload: CaseUpdateIn) -> Case:
    """Edit subject, kind, category, priority, tags or custom field values;
    ``version`` is required. Errors name the field (``tags``,
    ``custom_fields.<key>``)."""
    actor = actor_of(request)
    case = selectors.case_get(actor=actor, case_id=case_id)
    changes = payload.model_dump(
        exclude_unset=True, exclude={"version", "tags", "custom_fields"}
    )
    version = payload.version
    with unit_of_work():
        if changes:
            case = services.case_update(
                actor=actor, case=case, expected_version=version, **changes
            )
            version = case.version
        if payload.tags is not None or payload.custom_fields is not None:
            services.case_classify(
                actor=actor,
                case=case,
                expected_version=version,
                tags=payload.tags,
                fields=payload.custom_fields,
            )
    return _detail(actor, case_id)


def _field_filter_value(actor: User, key: str, value: str) -> str:
    """The filter's value in the field's canonical form (``12,50`` finds 12.5)."""
    if not key or not value:
        return ""
    field = selectors.custom_field_list(actor=actor).filter(key=key).first()
    return field_filter_value(field, value)


@router.post("/{case_id}/assign", response={200: CaseDetailOut, **ERRORS})
# Assigning someone: supervisors and above (an agent only takes a case: 403 else).
@access(SUPERVISORS_TEAM)
def case_assign_api(request: HttpRequest, case_id: Id, payload: CaseAssignIn) -> Case:
    """Assign (``assignee_id``) or unassign (``null``); agents only take cases."""
    actor = actor_of(request)
    case = selectors.case_get(actor=actor, case_id=case_id)
    services.case_assign(
        actor=actor,
        case=case,
        assignee=_assignee(actor, payload.assignee_id),
        team=_team(actor, payload.team_id),
        expected_version=payload.version,
    )
    return _detail(actor, case_id)


@router.post("/{case_id}/status", response={200: CaseDetailOut, **ERRORS})
@access(TEAM)
def case_change_status_api(
    request: HttpRequest, case_id: Id, payload: CaseStatusIn
) -> Case:
    """Move the case along its kind's lifecycle; 409 invalid_transition (with the
    allowed statuses) when it forbids the move. Resolving needs a summary (and for
    complaints and disputes a category and root cause): use ``/resolve``."""
    actor = actor_of(request)
    case = selectors.case_get(actor=actor, case_id=case_id)
    services.case_change_status(
        actor=actor, case=case, status=payload.status, expected_version=payload.version
    )
    return _detail(actor, case_id)


UPLOAD_ERRORS: dict[int, type[ErrorOut]] = {**ERRORS, 413: ErrorOut}
# Attachments: send the same fields as multipart/form-data with files in "attachments".
Uploads = File[list[UploadedFile] | None]


@router.post(
    "/{case_id}/replies",
    response={201: InteractionOut, **UPLOAD_ERRORS},
    openapi_extra=json_or_multipart("CaseReplyIn"),
)
@access(TEAM)
def case_reply_api(
    request: HttpRequest,
    case_id: Id,
    payload: JsonOrForm[CaseReplyIn],
    attachments: Uploads = None,
) -> Status[Interaction]:
    """Reply to the customer (JSON, or multipart with files in ``attachments``);
    delivery is queued after commit."""
    actor = actor_of(request)
    case = selectors.case_get(actor=actor, case_id=case_id)
    interaction = services.case_reply(
        actor=actor,
        case=case,
        body_text=payload.body_text,
        body_html=payload.body_html,
        channel=payload.channel,
        status=payload.status,
        expected_version=payload.version,
        attachments=attachments_from_uploads(attachments or []),
        seen_through=payload.seen,
        is_confirmed=payload.send_anyway,
    )
    return Status(201, interaction)


@router.post(
    "/{case_id}/notes",
    response={201: InteractionOut, **UPLOAD_ERRORS},
    openapi_extra=json_or_multipart("CaseNoteIn"),
)
@access(TEAM)
def case_add_note_api(
    request: HttpRequest,
    case_id: Id,
    payload: JsonOrForm[CaseNoteIn],
    attachments: Uploads = None,
) -> Status[Interaction]:
    """Add an internal note (never sent to the customer), with files if multipart."""
    actor = actor_of(request)
    case = selectors.case_get(actor=actor, case_id=case_id)
    interaction = services.case_add_note(
        actor=actor,
        case=case,
        body_text=payload.body_text,
        attachments=attachments_from_uploads(attachments or []),
    )
    return Status(201, interaction)


@router.post(
    "/{case_id}/messages",
    response={200: InteractionOut, 201: InteractionOut, **UPLOAD_ERRORS},
    openapi_extra=json_or_multipart("CaseMessageIn"),
)
@access(TEAM)
def case_record_inbound_api(
    request: HttpRequest,
    case_id: Id,
    payload: JsonOrForm[CaseMessageIn],
    attachments: Uploads = None,
) -> Status[Interaction]:
    """Record a customer's message on the case: 201 when stored (a waiting, resolved
    or closed case reopens), 200 with the stored one when this (channel,
    external_id) was already recorded on this case, 409 duplicate on another."""
    actor = actor_of(request)
    case = selectors.case_get(actor=actor, case_id=case_id)
    existing = interaction_get_by_external_id(
        channel=payload.channel, external_id=payload.external_id
    )
    if existing is not None:
        if existing.case_id != case.pk:
            raise DuplicateError(
                _("This message was already recorded elsewhere."),
                fields={"external_id": [_("Already used on another conversation.")]},
            )
        return Status(200, interaction_get(actor=actor, interaction_id=existing.pk))
    interaction = services.case_record_inbound(
        customer=case.customer,
        case=case,
        channel=payload.channel,
        subject=payload.subject,
        body_text=payload.body_text,
        body_html=payload.body_html,
        external_id=payload.external_id,
        occurred_at=payload.occurred_at,
        attachments=attachments_from_uploads(attachments or []),
    )
    return Status(201, interaction_get(actor=actor, interaction_id=interaction.pk))


@router.post("/{case_id}/calls", response={201: InteractionOut, **ERRORS})
@access(TEAM)
def case_log_call_api(
    request: HttpRequest, case_id: Id, payload: CaseCallIn
) -> Status[Interaction]:
    """Log a phone call on the case."""
    actor = actor_of(request)
    case = selectors.case_get(actor=actor, case_id=case_id)
    interaction = services.case_log_call(actor=actor, case=case, **payload.model_dump())
    return Status(201, interaction)


@router.post("/{case_id}/orders", response={200: CaseDetailOut, **ERRORS})
@access(TEAM)
def case_link_orders_api(
    request: HttpRequest, case_id: Id, payload: CaseLinkOrdersIn
) -> Case:
    """Link orders of the case's customer to the case."""
    actor = actor_of(request)
    case = selectors.case_get(actor=actor, case_id=case_id)
    services.case_link_orders(
        actor=actor,
        case=case,
        orders=_orders(actor, case.customer_id, payload.order_ids),
        expected_version=payload.version,
    )
    return _detail(actor, case_id)
