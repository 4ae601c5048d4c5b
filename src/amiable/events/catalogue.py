"""Every domain event, with its payload. The one list of what can happen.

An event is a frozen pydantic model: ids and values, never model instances, so it can
be stored as JSON and read back in a task. Its ``name`` (``<entity>.<past verb>``) is
stable: automation rules and stored rows refer to it. Add new events here, at the end
of their entity's group; never rename one, never change a field's meaning.

Who emits an event is named in its docstring; any app may handle any event
(``amiable.events.registry.event_handler``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from pydantic import BaseModel, ConfigDict


class Event(BaseModel):
    """Base of every event."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: ClassVar[str]


# --- cases --------------------------------------------------------------------------
class CaseOpened(Event):
    """``cases.services.case_open``: a case was opened."""

    name: ClassVar[str] = "case.opened"
    case_id: int
    customer_id: int
    kind: str
    priority: str
    channel: str
    team_id: int | None
    assignee_id: int | None


class CaseAssigned(Event):
    """``cases.services.case_assign``: the assignee changed (None: unassigned)."""

    name: ClassVar[str] = "case.assigned"
    case_id: int
    customer_id: int
    previous_assignee_id: int | None
    assignee_id: int | None


class CaseStatusChanged(Event):
    """``cases.services.case_change_status`` and every service that moves a status."""

    name: ClassVar[str] = "case.status_changed"
    case_id: int
    customer_id: int
    kind: str
    previous_status: str
    status: str
    changed_at: dt.datetime


class CaseEscalated(Event):
    """Emitted by the cases app when a case climbs (or is set on) the escalation
    ladder: 0 agent, 1 supervisor, 2 quality manager, 3 consumer mediator, 4 legal."""

    name: ClassVar[str] = "case.escalated"
    case_id: int
    customer_id: int
    previous_level: int
    level: int
    reason: str
    escalated_at: dt.datetime


class CaseResolved(Event):
    """``cases.services.case_resolve`` (and ``case_change_status`` to resolved): the
    case was resolved, with its category code and root cause (None for questions
    and requests resolved without one)."""

    name: ClassVar[str] = "case.resolved"
    case_id: int
    customer_id: int
    kind: str
    category: str
    root_cause_id: int | None
    resolved_at: dt.datetime
    reopened_count: int


class CaseMerged(Event):
    """``cases.services.case_merge``: cases of one customer were merged into
    ``case_id`` (each closed, its messages, promises, gestures and costs moved)."""

    name: ClassVar[str] = "case.merged"
    case_id: int
    customer_id: int
    merged_case_ids: list[int]
    merge_id: int
    merged_at: dt.datetime


class CaseSplit(Event):
    """``cases.services.case_split``: messages of ``case_id`` were moved to the new
    case ``new_case_id``."""

    name: ClassVar[str] = "case.split"
    case_id: int
    customer_id: int
    new_case_id: int
    interaction_ids: list[int]
    merge_id: int
    split_at: dt.datetime


class CaseMergeUndone(Event):
    """``cases.services.case_merge_undo``: a merge or a split (``kind``) was
    undone; ``case_ids`` are the cases given back what they had."""

    name: ClassVar[str] = "case.merge_undone"
    case_id: int
    customer_id: int
    kind: str
    case_ids: list[int]
    merge_id: int
    undone_at: dt.datetime


# --- disputes -----------------------------------------------------------------------
class DisputeMediationReferred(Event):
    """Emitted by the disputes app when a dispute is referred to the consumer
    mediator (the cases app puts the case on ladder level 3)."""

    name: ClassVar[str] = "dispute.mediation_referred"
    case_id: int
    customer_id: int
    mediator: str
    referred_at: dt.datetime
    file_complete_at: dt.datetime | None


# --- conversations ------------------------------------------------------------------
class InteractionRecorded(Event):
    """``conversations.services.interaction_record``: a contact was stored (once per
    channel and external id; a replay emits nothing)."""

    name: ClassVar[str] = "interaction.recorded"
    interaction_id: int
    customer_id: int
    case_id: int | None
    channel: str
    direction: str
    author_id: int | None
    occurred_at: dt.datetime


class InteractionDeliveryRequested(Event):
    """``conversations.services.interaction_queue_delivery``: an outbound message is
    to be sent (email, SMS or the outbox). Stored with the message, so the outbox
    relay sends it even when the process that committed it died before enqueueing
    its delivery task."""

    name: ClassVar[str] = "interaction.delivery_requested"
    interaction_id: int
    case_id: int | None
    channel: str


# --- commerce -----------------------------------------------------------------------
class ProductPriceChanged(Event):
    """``commerce.services.product_update``: a product's current price changed (a
    drop is ``price < previous_price``)."""

    name: ClassVar[str] = "product.price_changed"
    product_id: int
    previous_price: Decimal
    price: Decimal
    currency: str
    changed_at: dt.datetime


class OrderRecorded(Event):
    """``commerce.services.order_create``: an order was stored."""

    name: ClassVar[str] = "order.recorded"
    order_id: int
    customer_id: int
    placed_at: dt.datetime
    promised_delivery_date: dt.date | None
    currency: str
    total: Decimal


class TrackingEventRecorded(Event):
    """``commerce.services.tracking_event_record``: a carrier event was stored (once
    per carrier event id)."""

    name: ClassVar[str] = "tracking_event.recorded"
    tracking_event_id: int
    shipment_id: int
    order_id: int
    status: str
    occurred_at: dt.datetime


class OrderStatusChanged(Event):
    """``commerce.services.order_update``: an order's status changed by hand or by
    the shop (cancelled, delivered without a carrier event…)."""

    name: ClassVar[str] = "order.status_changed"
    order_id: int
    customer_id: int
    previous_status: str
    status: str
    changed_at: dt.datetime


# --- gestures (commercial gestures) -------------------------------------------------
class GestureApplied(Event):
    """Emitted by the gestures app when a gesture is applied (once per gesture).

    ``kind`` is the gesture type's kind (e.g. ``refund``, ``partial_refund``,
    ``voucher``, ``replacement``); money is ``amount`` + ``currency`` (None for
    gestures without a money value, such as loyalty points or an item).
    """

    name: ClassVar[str] = "gesture.applied"
    gesture_id: int
    customer_id: int
    case_id: int | None
    order_id: int | None
    kind: str
    amount: Decimal | None
    currency: str
    applied_at: dt.datetime


# --- legal clocks -------------------------------------------------------------------
class LegalDeadlineStarted(Event):
    """A legal time limit started running (rule codes of ``shared/domain-rules.md``
    §6.1, e.g. ``FR.MED.OUTCOME_90D``). Emitted by whoever records its trigger (the
    dispute track, a withdrawal, a termination)."""

    name: ClassVar[str] = "legal_deadline.started"
    rule_code: str
    article: str
    customer_id: int
    case_id: int | None
    order_id: int | None
    triggered_at: dt.datetime
    due_at: dt.datetime
    # Who must act before it ends: "professional" (us: a promise to keep),
    # "parties" (us and the customer), "consumer", "mediator" or "limitation"
    # (information only). Rows stored before this field read as "professional".
    bearer: str = "professional"


class LegalDeadlineChanged(Event):
    """A legal time limit already started got a new due time (``reason``:
    ``extended``, e.g. the mediator extended ``FR.MED.OUTCOME_90D``; or
    ``corrected``, its trigger date was corrected), or stopped applying
    (``cancelled``, its trigger was removed; ``due_at`` is None). Emitted by whoever
    emitted its ``legal_deadline.started`` (the dispute track)."""

    name: ClassVar[str] = "legal_deadline.changed"
    rule_code: str
    article: str
    customer_id: int
    case_id: int | None
    order_id: int | None
    previous_due_at: dt.datetime
    due_at: dt.datetime | None
    reason: str


class LegalDeadlineMet(Event):
    """What a legal time limit asked for happened at ``met_at`` (e.g. the mediator's
    details were sent, the mediator gave its outcome). Emitted by the dispute track."""

    name: ClassVar[str] = "legal_deadline.met"
    rule_code: str
    customer_id: int
    case_id: int | None
    order_id: int | None
    due_at: dt.datetime
    met_at: dt.datetime


EVENT_TYPES: dict[str, type[Event]] = {
    event_type.name: event_type
    for event_type in (
        CaseOpened,
        CaseAssigned,
        CaseStatusChanged,
        CaseEscalated,
        CaseResolved,
        DisputeMediationReferred,
        InteractionRecorded,
        InteractionDeliveryRequested,
        ProductPriceChanged,
        OrderRecorded,
        TrackingEventRecorded,
        OrderStatusChanged,
        GestureApplied,
        LegalDeadlineStarted,
        LegalDeadlineChanged,
        LegalDeadlineMet,
    )
}
