"""A promise's life after it was made: at risk, kept (its evidence arrived in
time), broken (its due time passed, or the evidence came late), renegotiated (a new
due time, a reason, the customer told), cancelled."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.core.clock import now
from amiable.core.errors import PermissionDeniedError, ValidationError
from amiable.notifications.services import notification_send
from amiable.promises.errors import PromiseClosedError
from amiable.promises.models import (
    LIVE_STATES,
    Promise,
    PromiseState,
    RiskReason,
)
from amiable.promises.permissions import can_cancel_promise
from amiable.promises.services.timeline import promise_transition_record
from amiable.promises.services.warnings import (
    promise_owner,
    promise_portal_link,
    promise_tell_customer,
)

MAX_REASON = 500


def _locked(promise: Promise) -> Promise:
    return (
        Promise.objects.select_for_update(of=("self",))
        .select_related("customer", "case__assignee", "order", "made_by")
        .get(pk=promise.pk)
    )


def _require_live(promise: Promise) -> None:
    if promise.state not in LIVE_STATES:
        raise PromiseClosedError(
            _("This promise is %(state)s: it cannot change any more.")
            % {"state": promise.get_state_display().lower()}
        )


def _move(promise: Promise, to_state: str, at: dt.datetime, **changes: object) -> str:
    previous = promise.state
    promise.state = to_state
    promise.state_changed_at = at
    for name, value in changes.items():
        setattr(promise, name, value)
    promise.save()
    return previous


@transaction.atomic
def promise_fulfil(
    *,
    actor: User | None,
    promise: Promise,
    fulfilled_at: dt.datetime,
    evidence: str,
) -> Promise:
    """The promise's evidence arrived (a delivery, a refund, a call).

    In time, the promise is kept; after its due time it is broken (or stays
    broken) and the late fulfilment is recorded for the expectation gap. A second
    evidence, a cancelled promise or one already fulfilled change nothing."""
    promise = _locked(promise)
    if promise.fulfilled_at is not None or promise.state == PromiseState.CANCELLED:
        return promise
    if promise.state in LIVE_STATES and fulfilled_at <= promise.due_at:
        previous = _move(
            promise,
            PromiseState.KEPT,
            now(),
            fulfilled_at=fulfilled_at,
            evidence=evidence[:200],
            risk_reason="",
        )
        promise_transition_record(
            actor=actor,
            promise=promise,
            from_state=previous,
            to_state=PromiseState.KEPT,
            occurred_at=fulfilled_at,
            reason=evidence,
        )
        return promise
    previous = promise.state
    if promise.state in LIVE_STATES:
        _move(
            promise,
            PromiseState.BROKEN,
            now(),
            fulfilled_at=fulfilled_at,
            evidence=evidence[:200],
        )
    else:
        promise.fulfilled_at = fulfilled_at
        promise.evidence = evidence[:200]
        promise.save(update_fields=["fulfilled_at", "evidence", "updated_at"])
    promise_transition_record(
        actor=actor,
        promise=promise,
        from_state=previous,
        to_state=PromiseState.BROKEN,
        occurred_at=fulfilled_at,
        reason=evidence,
        step="fulfilled_late",
    )
    return promise


@transaction.atomic
def promise_keep(*, actor: User, promise: Promise, note: str = "") -> Promise:
    """An agent records that the promise was kept, now (a repair done, an answer
    given by other means). Raises PromiseClosedError."""
    _require_live(_locked(promise))
    evidence = " ".join(note.split()) or _("Marked kept by %(name)s") % {
        "name": actor.display_name
    }
    return promise_fulfil(
        actor=actor, promise=promise, fulfilled_at=now(), evidence=evidence
    )


@transaction.atomic
def promise_mark_at_risk(
    *, actor: User | None, promise: Promise, reason: str
) -> Promise:
    """Flag a live promise at risk (a scan or a carrier exception). Flagging it
    again for the same reason changes nothing; a closed promise is left alone."""
    if reason not in RiskReason.values or not reason:
        raise ValidationError(_("Unknown risk."), fields={"reason": [_("Unknown.")]})
    promise = _locked(promise)
    if promise.state not in LIVE_STATES or promise.risk_reason == reason:
        return promise
    previous = promise.state
    if previous == PromiseState.AT_RISK:
        promise.risk_reason = reason
        promise.save(update_fields=["risk_reason", "updated_at"])
        return promise
    stamp = now()
    _move(promise, PromiseState.AT_RISK, stamp, risk_reason=reason)
    promise_transition_record(
        actor=actor,
        promise=promise,
        from_state=previous,
        to_state=PromiseState.AT_RISK,
        occurred_at=stamp,
        reason=str(RiskReason(reason).label),
    )
    return promise


@transaction.atomic
def promise_break(*, promise: Promise, at: dt.datetime | None = None) -> Promise:
    """The due time passed without evidence: the promise is broken, and the agent
    owning it is told (once). A promise not yet due, or closed, is left alone."""
    stamp = at or now()
    promise = _locked(promise)
    if promise.state not in LIVE_STATES or promise.due_at >= stamp:
        return promise
    previous = _move(promise, PromiseState.BROKEN, stamp)
    promise_transition_record(
        actor=None,
        promise=promise,
        from_state=previous,
        to_state=PromiseState.BROKEN,
        occurred_at=stamp,
    )
    owner = promise_owner(promise, promise.case)
    if owner is not None:
        with translation.override(owner.preferred_language or "fr"):
            notification_send(
                recipients=[owner],
                kind="promise.broken",
                title=_("Promise broken: %(what)s") % {"what": promise.description},
                url=(
                    reverse("cases:detail", args=[promise.case_id])
                    if promise.case_id
                    else reverse("promises:list")
                ),
                dedupe_key=f"promise:{promise.pk}:broken",
            )
    return promise


@transaction.atomic
def promise_renegotiate(
    *,
    actor: User,
    promise: Promise,
    due_at: dt.datetime,
    reason: str,
    is_customer_told: bool = False,
    is_message_sent: bool = False,
) -> Promise:
    """Agree a new due time with the customer. The first promised time stays
    (``original_due_at``) so both dates are shown.

    The customer must know: either the agent told them (``is_customer_told``, on
    the phone…) or ``is_message_sent`` sends them the new date by email on the
    promise's case. Raises ValidationError (no reason, customer not told, a time
    not later than the current one) and PromiseClosedError."""
    promise = _locked(promise)
    _require_live(promise)
    text = " ".join(reason.split())
    errors: dict[str, list[str]] = {}
    if not text:
        errors["reason"] = [_("Say why the date changes.")]
    elif len(text) > MAX_REASON:
        errors["reason"] = [_("At most 500 characters.")]
    if is_message_sent and promise.case is None:
        errors["is_message_sent"] = [_("This promise has no case to write on.")]
    if not (is_customer_told or is_message_sent):
        errors["is_customer_told"] = [
            _("A promise is renegotiated with the customer, not behind their back.")
        ]
    if due_at.tzinfo is None:
        errors["due_at"] = [_("Give a time zone.")]
    elif due_at <= max(now(), promise.due_at):
        errors["due_at"] = [_("The new due time must be later than the current one.")]
    if errors:
        raise ValidationError(_("The promise cannot be renegotiated."), fields=errors)
    stamp = now()
    previous_due = promise.due_at
    previous = _move(
        promise,
        PromiseState.RENEGOTIATED,
        stamp,
        due_at=due_at,
        risk_reason="",
        expected_at=None,
        renegotiation_count=promise.renegotiation_count + 1,
    )
    promise_transition_record(
        actor=actor,
        promise=promise,
        from_state=previous,
        to_state=PromiseState.RENEGOTIATED,
        occurred_at=stamp,
        reason=text,
        previous_due_at=previous_due,
        is_customer_told=True,
    )
    if is_message_sent and promise.case is not None:
        # Sent as the system: a templated message is not a callback or an answer.
        promise_tell_customer(
            actor=None,
            promise=promise,
            case=promise.case,
            template="renegotiated",
            context={"previous_due_at": previous_due, "reason": text},
            at=stamp,
            link=promise_portal_link(promise, promise.case),
        )
    return promise


@transaction.atomic
def promise_cancel(*, actor: User | None, promise: Promise, reason: str) -> Promise:
    """Withdraw a promise that no longer applies (the customer changed their mind,
    the order was cancelled: ``actor`` None is the system). Raises
    PermissionDeniedError, ValidationError and PromiseClosedError."""
    promise = _locked(promise)
    _require_live(promise)
    if actor is not None and not can_cancel_promise(actor, promise):
        raise PermissionDeniedError(
            _("Only a supervisor cancels a promise someone else made.")
        )
    text = " ".join(reason.split())
    if not text:
        raise ValidationError(
            _("Say why the promise is cancelled."), fields={"reason": [_("Required.")]}
        )
    stamp = now()
    previous = _move(promise, PromiseState.CANCELLED, stamp, risk_reason="")
    promise_transition_record(
        actor=actor,
        promise=promise,
        from_state=previous,
        to_state=PromiseState.CANCELLED,
        occurred_at=stamp,
        reason=text[:MAX_REASON],
    )
    return promise


@transaction.atomic
def promise_reschedule_by_rule(
    *, promise: Promise, due_at: dt.datetime, reason: str
) -> Promise:
    """Move a legal promise's due time because the rule moved it (a mediator's
    extension, a corrected trigger date). Its first due time stays, like a
    renegotiation, but its state does not change: the law moved, not our word.
    Raises PromiseClosedError."""
    promise = _locked(promise)
    _require_live(promise)
    previous_due = promise.due_at
    promise.due_at = due_at
    promise.risk_reason = ""
    promise.save(update_fields=["due_at", "risk_reason", "updated_at"])
    promise_transition_record(
        actor=None,
        promise=promise,
        from_state=promise.state,
        to_state=promise.state,
        occurred_at=now(),
        reason=reason[:MAX_REASON],
        previous_due_at=previous_due,
        step="rescheduled",
    )
    return promise
