"""Each promise transition as one step of its history, an audit event and a line
on the case and customer timelines (an internal ``system`` interaction)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.audit.services import audit_record
from amiable.conversations.models import Channel, Direction, Interaction
from amiable.conversations.services import interaction_record
from amiable.customers.models import CustomerStatus
from amiable.promises.models import Promise, PromiseState, PromiseTransition

PROMISE_AUDITED_FIELDS = [
    "state",
    "due_at",
    "original_due_at",
    "risk_reason",
    "fulfilled_at",
    "kind",
]


def _when(moment: dt.datetime) -> str:
    return str(formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT"))


def _line(promise: Promise, to_state: str, reason: str) -> str:
    """The timeline sentence of a transition, in the team's language."""
    what = promise.description
    due = _when(promise.due_at)
    lines = {
        "made": _("Promise made: %(what)s (due %(due)s)."),
        PromiseState.AT_RISK: _("Promise at risk: %(what)s (due %(due)s)."),
        PromiseState.KEPT: _("Promise kept: %(what)s."),
        PromiseState.BROKEN: _("Promise broken: %(what)s (was due %(due)s)."),
        PromiseState.RENEGOTIATED: _(
            "Promise renegotiated: %(what)s, now due %(due)s."
        ),
        PromiseState.CANCELLED: _("Promise cancelled: %(what)s."),
        "fulfilled_late": _("Promise fulfilled late: %(what)s (was due %(due)s)."),
        "rescheduled": _("Legal time limit moved: %(what)s, now due %(due)s."),
    }
    text = lines.get(to_state, lines["made"]) % {"what": what, "due": due}
    return f"{text} {reason}".strip() if reason else text


def promise_transition_record(
    *,
    actor: User | None,
    promise: Promise,
    from_state: str,
    to_state: str,
    occurred_at: dt.datetime,
    reason: str = "",
    previous_due_at: dt.datetime | None = None,
    is_customer_told: bool = False,
    step: str = "",
) -> PromiseTransition:
    """Write one transition: history row, audit event, timeline line.

    ``step`` names a step that is not a state ("made", "fulfilled_late")."""
    interaction: Interaction | None = None
    if promise.customer.status != CustomerStatus.MERGED:
        with translation.override(settings.LANGUAGE_CODE):
            body = _line(promise, step or to_state, reason)
        interaction = interaction_record(
            actor=actor,
            customer=promise.customer,
            case=promise.case,
            channel=Channel.SYSTEM,
            direction=Direction.INTERNAL,
            body_text=body,
            occurred_at=occurred_at,
            metadata={
                "promise": {
                    "id": promise.pk,
                    "kind": promise.kind,
                    "step": step or to_state,
                    "from_state": from_state,
                    "state": promise.state,
                    "due_at": promise.due_at.isoformat(),
                    "original_due_at": promise.original_due_at.isoformat(),
                    "order_id": promise.order_id,
                }
            },
        ).interaction
    transition = PromiseTransition.objects.create(
        promise=promise,
        from_state=from_state,
        to_state=to_state,
        occurred_at=occurred_at,
        actor=actor,
        reason=reason[:500],
        previous_due_at=previous_due_at,
        due_at=promise.due_at,
        is_customer_told=is_customer_told,
        interaction=interaction,
    )
    audit_record(
        actor=actor,
        action=f"promise.{step or to_state}",
        instance=promise,
        actor_label="" if actor else "system",
        before={"state": from_state}
        | ({"due_at": previous_due_at} if previous_due_at else {}),
        after={
            "state": promise.state,
            "due_at": promise.due_at,
            "reason": reason[:200],
        },
    )
    return transition
