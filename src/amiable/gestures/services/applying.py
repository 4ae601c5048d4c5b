"""Proposing a gesture and applying it: authority, budget, ledger, event, export.

A proposal within the requester's authority (and budget) is applied at once; above
it, an approval step opens at the next level (``approvals.py``). Applying happens
once per gesture: the status moves from pending to applied by a conditional update,
and only the caller that moved it writes the ledger entry, the timeline line, the
``GestureApplied`` event and the delivery to the shop or ERP.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.audit.services import audit_record
from amiable.cases.models import Case
from amiable.cases.services import case_cost_add
from amiable.commerce.models import OrderLine
from amiable.conversations.models import Channel, Direction
from amiable.conversations.services import interaction_record
from amiable.core.clock import now
from amiable.core.locking import rows_lock
from amiable.core.money import Money
from amiable.customers.models import Customer, CustomerStatus
from amiable.events.catalogue import GestureApplied
from amiable.events.services import event_emit
from amiable.gestures.errors import BudgetExhaustedError, GestureInvalidError
from amiable.gestures.models import (
    Budget,
    Gesture,
    GestureDelivery,
    GestureReason,
    GestureStatus,
    GestureType,
    GestureUnit,
    WhenSpent,
)
from amiable.gestures.permissions import effective_role, next_level
from amiable.gestures.selectors.authority import authority_for
from amiable.gestures.selectors.consistency import gesture_consistency
from amiable.gestures.selectors.visibility import budget_for
from amiable.gestures.services.settings import gesture_settings_get

MAX_KEY = 255


class BudgetOutcome(StrEnum):
    NONE = "none"  # no budget for this team, type and month
    CONSUMED = "consumed"
    OVER = "over"  # consumed past the amount, because an approver allowed it
    EXHAUSTED = "exhausted"  # not consumed: not enough left


@dataclass(frozen=True)
class Proposal:
    gesture: Gesture
    created: bool  # False: this idempotency key was seen, nothing new was written

    @property
    def is_applied(self) -> bool:
        return self.gesture.status == GestureStatus.APPLIED


def budget_consume(
    *, budget: Budget, value: Decimal, allow_over: bool
) -> BudgetOutcome:
    """Add ``value`` to the budget's consumption if it fits, in one conditional
    UPDATE: of two concurrent calls for the last euro, the database lets one win.
    With ``allow_over`` (an approver said yes) it is added anyway."""
    fits = Budget.objects.filter(
        pk=budget.pk, consumed__lte=F("amount") - value
    ).update(consumed=F("consumed") + value, updated_at=now())
    if fits:
        return BudgetOutcome.CONSUMED
    if not allow_over:
        return BudgetOutcome.EXHAUSTED
    Budget.objects.filter(pk=budget.pk).update(
        consumed=F("consumed") + value, updated_at=now()
    )
    return BudgetOutcome.OVER


def customer_limit_lock(*, customer_id: int) -> None:
    """Hold the customer's row until the transaction ends, before reading what the
    customer was granted over the rolling period: of two concurrent gestures for
    one customer, the second reads the sum after the first committed.

    Lock order, everywhere: the customer, then the gesture being decided, then the
    budget (taken by ``budget_consume``'s UPDATE), as ``customer_merge`` locks the
    customer before it moves their gestures: none of them deadlock.
    """
    rows_lock(Customer.objects.filter(pk=customer_id))


def gesture_cost(
    gesture_type: GestureType, value: Decimal, line: OrderLine | None
) -> Decimal:
    """What the gesture costs us: money its value; an item the price paid on its
    order line (else the type's unit cost); points the type's unit cost."""
    if gesture_type.unit == GestureUnit.MONEY:
        return value
    if gesture_type.unit == GestureUnit.ITEM and line is not None:
        return (line.unit_price * value).quantize(Decimal("0.01"))
    return (gesture_type.unit_cost * value).quantize(Decimal("0.01"))


def _check(
    *,
    customer: Customer,
    case: Case | None,
    order_line: OrderLine | None,
    gesture_type: GestureType,
    reason: GestureReason,
    value: Decimal,
) -> None:
    errors: dict[str, list[str]] = {}
    if not gesture_type.is_active:
        errors["gesture_type_id"] = [_("This gesture type is no longer offered.")]
    if not reason.is_active or not gesture_type.reasons.filter(pk=reason.pk).exists():
        errors["reason_id"] = [_("This reason does not apply to this gesture type.")]
    if value <= 0:
        errors["value"] = [_("The value must be above zero.")]
    elif value != value.quantize(Decimal("0.01")):
        errors["value"] = [_("At most two decimals.")]
    elif gesture_type.unit != GestureUnit.MONEY and value != value.to_integral_value():
        errors["value"] = [_("Points and items are whole numbers.")]
    if gesture_type.requires_order_line and order_line is None:
        errors["order_line_id"] = [_("This gesture needs an order line.")]
    if order_line is not None and order_line.order.customer_id != customer.pk:
        errors["order_line_id"] = [_("This order line belongs to another customer.")]
    if case is not None and case.customer_id != customer.pk:
        errors["case_id"] = [_("This case belongs to another customer.")]
    if customer.status == CustomerStatus.MERGED:
        errors["customer_id"] = [_("This customer was merged into another one.")]
    if (
        gesture_type.unit == GestureUnit.MONEY
        and order_line is not None
        and order_line.order.currency != gesture_type.currency
    ):
        errors["order_line_id"] = [_("The order was paid in another currency.")]
    if errors:
        raise GestureInvalidError(_("This gesture cannot be granted."), fields=errors)


@transaction.atomic
def gesture_propose(
    *,
    actor: User,
    customer: Customer,
    gesture_type: GestureType,
    reason: GestureReason,
    value: Decimal,
    case: Case | None = None,
    order_line: OrderLine | None = None,
    note: str = "",
    idempotency_key: str = "",
) -> Proposal:
    """Propose a gesture; apply it at once when the actor's authority and the
    team's budget allow, else open an approval step at the next level.

    Idempotent per (actor, ``idempotency_key``): a repeat returns the stored gesture
    with ``created=False`` and writes nothing. Raises GestureInvalidError for a bad
    proposal and BudgetExhaustedError when the budget is spent and set to block.
    Holds the customer's row (``customer_limit_lock``) until it returns.
    """
    key = (idempotency_key or uuid.uuid4().hex).strip()[:MAX_KEY]
    existing = Gesture.objects.filter(requested_by=actor, idempotency_key=key).first()
    if existing is not None:
        return Proposal(existing, created=False)
    # Before the rolling sum is read by authority_for below, and before the budget.
    customer_limit_lock(customer_id=customer.pk)
    _check(
        customer=customer,
        case=case,
        order_line=order_line,
        gesture_type=gesture_type,
        reason=reason,
        value=value,
    )
    moment = now()
    category = case.category if case is not None else ""
    consistency = gesture_consistency(
        gesture_type_id=gesture_type.pk,
        category=category,
        customer_tier=customer.tier,
        value=value,
        at=moment,
    )
    team = case.team if case is not None and case.team_id is not None else actor.team
    try:
        with transaction.atomic():
            gesture = Gesture.objects.create(
                customer=customer,
                case=case,
                order=order_line.order if order_line is not None else None,
                order_line=order_line,
                gesture_type=gesture_type,
                reason=reason,
                value=value,
                currency=gesture_type.currency,
                cost=gesture_cost(gesture_type, value, order_line),
                note=note.strip(),
                category=category,
                customer_tier=customer.tier,
                is_outlier=consistency.is_outlier,
                team=team,
                requested_by=actor,
                requested_at=moment,
                idempotency_key=key,
            )
    except IntegrityError:
        # The same request (a double click) committed first: it is the one.
        return Proposal(
            Gesture.objects.get(requested_by=actor, idempotency_key=key), created=False
        )
    audit_record(
        actor=actor,
        action="gesture.propose",
        instance=gesture,
        after={
            "type": gesture_type.code,
            "reason": reason.code,
            "value": value,
            "currency": gesture.currency,
            "customer": customer.pk,
            "case": case.pk if case else None,
            "is_outlier": consistency.is_outlier,
        },
    )
    authority = authority_for(
        user=actor,
        gesture_type_id=gesture_type.pk,
        customer_id=customer.pk,
        at=moment,
        exclude_id=gesture.pk,
    )
    if authority.covers(value) and gesture_apply(
        actor=actor, gesture=gesture, approved=False
    ):
        return Proposal(gesture, created=True)
    from amiable.gestures.services.approvals import approval_step_open

    level = next_level(effective_role(actor))
    if level is None:
        # An administrator over a budget that asks for approval: nobody is above
        # them, so their own decision is the approval.
        gesture_apply(actor=actor, gesture=gesture, approved=True)
        return Proposal(gesture, created=True)
    approval_step_open(gesture=gesture, level=level, requested_by=actor)
    return Proposal(gesture, created=True)


@transaction.atomic
def gesture_apply(*, actor: User | None, gesture: Gesture, approved: bool) -> bool:
    """Apply a pending gesture, inside the caller's transaction.

    Returns False (and changes nothing) when the team's budget is spent and the
    budget asks for an approval that was not given. Raises BudgetExhaustedError when
    the budget is spent and set to block. Applying twice is a no-op that returns
    True: only the caller that moves the status writes anything.
    """
    budget = budget_for(
        team_id=gesture.team_id, gesture_type_id=gesture.gesture_type_id, at=now()
    )
    outcome = BudgetOutcome.NONE
    if budget is not None:
        allow_over = approved and budget.when_spent == WhenSpent.REQUIRE_APPROVAL
        outcome = budget_consume(
            budget=budget, value=gesture.value, allow_over=allow_over
        )
        if outcome == BudgetOutcome.EXHAUSTED:
            if budget.when_spent == WhenSpent.BLOCK:
                raise BudgetExhaustedError(
                    _("The team's budget for this gesture type is spent this month."),
                    fields={"value": [_("Over budget.")]},
                )
            return False
    moment = now()
    moved = Gesture.objects.filter(pk=gesture.pk, status=GestureStatus.PENDING).update(
        status=GestureStatus.APPLIED,
        applied_by=actor,
        applied_at=moment,
        budget=budget,
        is_over_budget=outcome == BudgetOutcome.OVER,
        updated_at=moment,
    )
    if not moved:
        if budget is not None and outcome != BudgetOutcome.EXHAUSTED:
            # Someone else applied it meanwhile: give the consumption back.
            Budget.objects.filter(pk=budget.pk).update(
                consumed=F("consumed") - gesture.value
            )
        gesture.refresh_from_db()
        return gesture.status == GestureStatus.APPLIED
    gesture.refresh_from_db()
    _record_applied(actor=actor, gesture=gesture)
    return True


def _record_applied(*, actor: User | None, gesture: Gesture) -> None:
    assert gesture.applied_at is not None  # noqa: S101 - set by gesture_apply
    source = f"gestures.gesture:{gesture.pk}"
    with translation.override(settings.LANGUAGE_CODE):
        label = _("Commercial gesture: %(type)s, %(value)s %(unit)s (%(reason)s)") % {
            "type": gesture.gesture_type.name_in(settings.LANGUAGE_CODE),
            "value": gesture.value,
            "unit": gesture.currency
            if gesture.gesture_type.unit == GestureUnit.MONEY
            else gesture.gesture_type.get_unit_display(),
            "reason": gesture.reason.name_in(settings.LANGUAGE_CODE),
        }
    if gesture.case is not None:
        case_cost_add(
            actor=actor,
            case=gesture.case,
            kind="gesture",
            cost=Money(gesture.cost, gesture.currency),
            description=label,
            incurred_at=gesture.applied_at,
            source=source,
        )
        interaction_record(
            actor=actor,
            customer=gesture.customer,
            case=gesture.case,
            channel=Channel.SYSTEM,
            direction=Direction.INTERNAL,
            body_text=label,
            external_id=f"{source}:applied",
            metadata={"gesture_id": gesture.pk},
        )
    audit_record(
        actor=actor,
        action="gesture.apply",
        instance=gesture,
        before={"status": GestureStatus.PENDING},
        after={
            "status": GestureStatus.APPLIED,
            "cost": gesture.cost,
            "budget": gesture.budget_id,
            "is_over_budget": gesture.is_over_budget,
        },
    )
    event_emit(
        GestureApplied(
            gesture_id=gesture.pk,
            customer_id=gesture.customer_id,
            case_id=gesture.case_id,
            order_id=gesture.order_id,
            kind=gesture.gesture_type.kind,
            amount=gesture.value if gesture.gesture_type.is_money else None,
            currency=gesture.currency,
            applied_at=gesture.applied_at,
        ),
        actor=actor,
    )
    webhook = gesture_settings_get()
    if webhook.webhook_url:
        GestureDelivery.objects.create(
            gesture=gesture, url=webhook.webhook_url, created_at=now()
        )
        gesture_id = gesture.pk

        def enqueue() -> None:
            from amiable.gestures.tasks import gesture_deliver_task

            gesture_deliver_task.enqueue(gesture_id=gesture_id)

        transaction.on_commit(enqueue)
