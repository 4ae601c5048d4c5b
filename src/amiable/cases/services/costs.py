"""The cost ledger of a case: gestures, postage, registered letters, fees."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.audit.services import audit_record
from amiable.cases.models import Case, CaseCost, CostKind
from amiable.core.clock import now
from amiable.core.errors import ValidationError
from amiable.core.money import Money


def case_cost_add(
    *,
    actor: User | None,
    case: Case,
    kind: str,
    cost: Money,
    description: str = "",
    incurred_at: dt.datetime | None = None,
    source: str = "",
) -> CaseCost:
    """Add one cost to the case's ledger and audit it.

    Idempotent per ``source`` (e.g. ``"gestures.gesture:42"``): a second call with
    the same source returns the stored entry unchanged. Raises ValidationError for
    an unknown kind, a negative amount or a bad currency.
    """
    errors: dict[str, list[str]] = {}
    if kind not in CostKind.values:
        errors["kind"] = [_("Unknown kind.")]
    if cost.amount < 0:
        errors["amount"] = [_("A cost cannot be negative.")]
    if errors:
        raise ValidationError(_("The cost is not valid."), fields=errors)
    source = source.strip()
    if source:
        existing = CaseCost.objects.filter(case=case, source=source).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            entry = CaseCost.objects.create(
                case=case,
                kind=kind,
                amount=cost.quantized().amount,
                currency=cost.currency.upper(),
                description=description.strip()[:255],
                incurred_at=incurred_at or now(),
                recorded_by=actor,
                source=source,
            )
            audit_record(
                actor=actor,
                action="case.cost_add",
                instance=case,
                after={
                    "kind": kind,
                    "amount": entry.amount,
                    "currency": entry.currency,
                    "source": source,
                },
            )
    except IntegrityError:
        # Two callers with one source at once: the other one stored it.
        return CaseCost.objects.get(case=case, source=source)
    return entry
