"""What a case cost."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter

from django.conf import settings
from django.db.models import Sum

from amiable.accounts.models import User
from amiable.cases.models import Case, CaseCost
from amiable.cases.selectors.timeline import case_timeline_loaded
from amiable.conversations.models import Interaction
from amiable.core.money import Money


@dataclass(frozen=True)
class CaseCostSummary:
    """What a case cost: staff time (from the time spent on its interactions, at
    ``STAFF_HOURLY_COST``), the ledger entries, and the total per currency."""

    staff_seconds: int
    staff_cost: Money
    entries: list[CaseCost]
    totals: list[Money]


def case_cost_summary(*, actor: User, case: Case) -> CaseCostSummary:
    """The cost of a case the actor may see (two queries)."""
    hourly: Money = settings.STAFF_HOURLY_COST
    timeline = case_timeline_loaded(case)  # the case page's, when read already
    seconds = (
        sum(row.time_spent_seconds or 0 for row in timeline)
        if timeline is not None
        else Interaction.objects.filter(case=case)
        .order_by()
        .aggregate(total=Sum("time_spent_seconds"))["total"]
        or 0
    )
    staff = Money(
        hourly.amount * Decimal(seconds) / Decimal(3600), hourly.currency
    ).quantized()
    entries = sorted(  # the model's order, sorted here (no ORDER BY to match)
        CaseCost.objects.filter(case=case).select_related("recorded_by").order_by(),
        key=attrgetter("incurred_at", "pk"),
    )
    sums: dict[str, Decimal] = {staff.currency: staff.amount}
    for entry in entries:
        sums[entry.currency] = sums.get(entry.currency, Decimal(0)) + entry.amount
    return CaseCostSummary(
        staff_seconds=int(seconds),
        staff_cost=staff,
        entries=entries,
        totals=[Money(amount, currency) for currency, amount in sorted(sums.items())],
    )
