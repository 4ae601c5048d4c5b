"""Making promises: by an agent on a case, or automatically (an order's delivery
date, a legal deadline), once per source."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.commerce.models import Order
from amiable.conversations.models import Channel
from amiable.core.clock import now
from amiable.core.errors import ValidationError
from amiable.customers.models import Customer
from amiable.promises.dates import local_date
from amiable.promises.errors import PromiseSoonerThanSuggestedError
from amiable.promises.models import (
    Promise,
    PromiseKind,
    PromiseSource,
    PromiseState,
)
from amiable.promises.services.timeline import promise_transition_record
from amiable.promises.suggestions import Suggestion, promise_suggest

MAX_DESCRIPTION = 500


def is_sooner(due_at: dt.datetime, suggestion: Suggestion) -> bool:
    """Whether ``due_at`` promises sooner than the realistic ``suggestion``.

    Customers read a promise of a day or more by its day ("tomorrow before noon",
    "within 2 days"), so such suggestions compare by local date: promising
    tomorrow at noon when history says "a day" is not sooner, whatever the hour
    the promise is made. Shorter suggestions (a callback within 3 hours) compare
    to the minute."""
    if suggestion.duration < dt.timedelta(days=1):
        return due_at < suggestion.due_at
    return local_date(due_at) < local_date(suggestion.due_at)


def _carrier_of(order: Order | None) -> str:
    if order is None:
        return ""
    shipment = order.shipments.order_by("-id").first()
    return shipment.carrier if shipment is not None else ""


@transaction.atomic
def promise_make(
    *,
    actor: User,
    case: Case,
    kind: str,
    description: str,
    due_at: dt.datetime,
    channel: str = "",
    order: Order | None = None,
    is_sooner_confirmed: bool = False,
) -> Promise:
    """An agent promises something to the case's customer, due at ``due_at``.

    Raises ValidationError (unknown type, empty text, a due time in the past, an
    order of another customer) and PromiseSoonerThanSuggestedError when ``due_at``
    is sooner than the realistic suggestion and ``is_sooner_confirmed`` is False
    (its ``extra`` carries the suggested time)."""
    moment = now()
    errors: dict[str, list[str]] = {}
    if kind not in PromiseKind.values:
        errors["kind"] = [_("Unknown promise type.")]
    text = " ".join(description.split())
    if not text:
        errors["description"] = [_("Say what you promise.")]
    elif len(text) > MAX_DESCRIPTION:
        errors["description"] = [_("At most 500 characters.")]
    if due_at.tzinfo is None:
        errors["due_at"] = [_("Give a time zone.")]
    elif due_at <= moment:
        errors["due_at"] = [_("A promise is due in the future.")]
    if channel and channel not in Channel.values:
        errors["channel"] = [_("Unknown channel.")]
    if order is not None and order.customer_id != case.customer_id:
        errors["order_id"] = [_("This order belongs to another customer.")]
    if errors:
        raise ValidationError(_("The promise cannot be made."), fields=errors)
    if order is None and kind == PromiseKind.DELIVERY:
        order = case.orders.order_by("-placed_at").first()
    carrier = _carrier_of(order) if kind == PromiseKind.DELIVERY else ""
    suggestion = promise_suggest(
        kind=kind, carrier=carrier, category=case.category, at=moment
    )
    if is_sooner(due_at, suggestion) and not is_sooner_confirmed:
        raise PromiseSoonerThanSuggestedError(
            _(
                "History says this usually takes longer: 90%% of such promises "
                "were kept by %(when)s. Confirm to promise sooner anyway."
            )
            % {
                "when": date_format(
                    timezone.localtime(suggestion.due_at), "SHORT_DATETIME_FORMAT"
                )
            },
            fields={
                "due_at": [_("Sooner than the realistic date.")],
                "suggested_due_at": [suggestion.due_at.isoformat()],
            },
            extra={"suggested_due_at": suggestion.due_at.isoformat()},
        )
    promise = Promise.objects.create(
        customer=case.customer,
        case=case,
        order=order,
        kind=kind,
        description=text,
        source=PromiseSource.AGENT,
        made_by=actor,
        team=case.team or actor.team,
        channel=channel or case.channel,
        made_at=moment,
        original_due_at=due_at,
        due_at=due_at,
        state=PromiseState.OPEN,
        state_changed_at=moment,
        carrier=carrier,
        category=case.category,
    )
    promise_transition_record(
        actor=actor,
        promise=promise,
        from_state="",
        to_state=PromiseState.OPEN,
        occurred_at=moment,
        step="made",
    )
    return promise


@transaction.atomic
def promise_record_automatic(
    *,
    source_key: str,
    customer: Customer,
    kind: str,
    description: str,
    made_at: dt.datetime,
    due_at: dt.datetime,
    case: Case | None = None,
    order: Order | None = None,
    rule_code: str = "",
    article: str = "",
    source: str = PromiseSource.SYSTEM,
) -> tuple[Promise, bool]:
    """Record a promise the system makes (an order's delivery date, a legal
    deadline), once per ``source_key``: a replay returns the stored one with
    ``False``. A due time before ``made_at`` is moved to ``made_at``."""
    existing = Promise.objects.filter(source_key=source_key).first()
    if existing is not None:
        return existing, False
    if case is None and order is not None:
        case = order.cases.order_by("-opened_at").first()
    try:
        with transaction.atomic():
            promise = Promise.objects.create(
                customer=customer,
                case=case,
                order=order,
                kind=kind,
                description=description[:MAX_DESCRIPTION],
                source=source,
                team=case.team if case is not None else None,
                channel=Channel.SYSTEM,
                made_at=made_at,
                original_due_at=max(due_at, made_at),
                due_at=max(due_at, made_at),
                state=PromiseState.OPEN,
                state_changed_at=made_at,
                rule_code=rule_code,
                article=article,
                carrier=_carrier_of(order) if kind == PromiseKind.DELIVERY else "",
                category=case.category if case is not None else "",
                source_key=source_key,
            )
    except IntegrityError:
        return Promise.objects.get(source_key=source_key), False
    promise_transition_record(
        actor=None,
        promise=promise,
        from_state="",
        to_state=PromiseState.OPEN,
        occurred_at=made_at,
        step="made",
        reason=rule_code,
    )
    return promise, True
