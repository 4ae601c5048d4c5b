"""Scoped reads of cases: what the actor may see, with their related rows loaded,
and the customer 360 summary that sits beside a case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.accounts.permissions import sees_all_cases
from amiable.cases.models import OPEN_STATUSES, Case, CaseCost, SavedView
from amiable.commerce.models import Order
from amiable.conversations.models import Channel, Interaction
from amiable.core.clock import now
from amiable.core.errors import NotFoundError
from amiable.core.money import Money
from amiable.customers.models import Consent, Customer, Identity, PersonalFact
from amiable.customers.selectors import consent_current

SORTS: dict[str, tuple[str, ...]] = {
    "-last_activity_at": ("-last_activity_at", "-id"),
    "last_activity_at": ("last_activity_at", "id"),
    "-opened_at": ("-opened_at", "-id"),
    "opened_at": ("opened_at", "id"),
}
DEFAULT_SORT = "-last_activity_at"


@dataclass(frozen=True)
class CaseFilters:
    statuses: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    team_id: int | None = None
    assignee: str = ""  # "", "me", "none" or a user id
    customer_id: int | None = None
    text: str = ""
    open_only: bool = False
    extra: dict[str, str] = field(default_factory=dict)


def case_visible_queryset(*, actor: User) -> QuerySet[Case]:
    """Cases the actor may see: all for quality managers and admins; otherwise the
    actor's team's cases, unteamed cases and cases assigned to the actor."""
    queryset = Case.objects.all()
    if sees_all_cases(actor):
        return queryset
    scope = Q(team__isnull=True) | Q(assignee=actor)
    if actor.team_id is not None:
        scope |= Q(team_id=actor.team_id)
    return queryset.filter(scope)


def case_list(*, actor: User, filters: CaseFilters) -> QuerySet[Case]:
    """The inbox query, scoped and filtered, with what a row shows already joined."""
    queryset = case_visible_queryset(actor=actor).select_related(
        "customer", "assignee", "team"
    )
    if filters.statuses:
        queryset = queryset.filter(status__in=filters.statuses)
    elif filters.open_only:
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    if filters.kinds:
        queryset = queryset.filter(kind__in=filters.kinds)
    if filters.priorities:
        queryset = queryset.filter(priority__in=filters.priorities)
    if filters.team_id is not None:
        queryset = queryset.filter(team_id=filters.team_id)
    if filters.assignee == "me":
        queryset = queryset.filter(assignee=actor)
    elif filters.assignee == "none":
        queryset = queryset.filter(assignee__isnull=True)
    elif filters.assignee.isdigit():
        queryset = queryset.filter(assignee_id=int(filters.assignee))
    if filters.customer_id is not None:
        queryset = queryset.filter(customer_id=filters.customer_id)
    if filters.text.strip():
        from amiable.cases.search import case_search_filter

        queryset = case_search_filter(queryset, filters.text)
    return queryset


def case_counts_by_status(*, actor: User, filters: CaseFilters) -> dict[str, int]:
    """How many cases per status match the filters (status filter itself ignored)."""
    base = case_list(
        actor=actor,
        filters=CaseFilters(
            kinds=filters.kinds,
            priorities=filters.priorities,
            team_id=filters.team_id,
            assignee=filters.assignee,
            customer_id=filters.customer_id,
            text=filters.text,
        ),
    )
    rows = base.order_by().values("status").annotate(total=Count("id"))
    return {row["status"]: row["total"] for row in rows}


def case_get(*, actor: User, case_id: int) -> Case:
    """One visible case with its customer, assignee and team. Raises NotFoundError."""
    case = (
        case_visible_queryset(actor=actor)
        .select_related("customer", "assignee", "team")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFoundError(_("No such case."))
    return case


def case_get_by_reference(*, actor: User, reference: str) -> Case:
    case = (
        case_visible_queryset(actor=actor)
        .select_related("customer", "assignee", "team")
        .filter(reference=reference.strip().upper())
        .first()
    )
    if case is None:
        raise NotFoundError(_("No such case."))
    return case


def saved_view_list(*, actor: User) -> QuerySet[SavedView]:
    return SavedView.objects.filter(user=actor)


@dataclass(frozen=True)
class OrderTotal:
    currency: str
    amount: Decimal


@dataclass(frozen=True)
class ChannelContact:
    channel: str
    last_at: dt.datetime


@dataclass(frozen=True)
class Customer360:
    customer: Customer
    tenure_days: int
    orders_count: int
    order_totals: list[OrderTotal]
    open_cases_count: int
    cases_count: int
    last_contacts: list[ChannelContact]
    facts: list[PersonalFact]
    consents: list[Consent]
    identities: list[Identity]


def customer_360(*, actor: User, customer: Customer) -> Customer360:
    """Everything an agent should know at a glance, in a fixed number of queries."""
    order_rows = (
        Order.objects.filter(customer=customer)
        .order_by()
        .values("currency")
        .annotate(total=Sum("total"), count=Count("id"))
    )
    totals = [
        OrderTotal(row["currency"], row["total"] or Decimal(0)) for row in order_rows
    ]
    orders_count = sum(row["count"] for row in order_rows)
    case_counts = customer.cases.aggregate(
        total=Count("id"), open=Count("id", filter=Q(status__in=OPEN_STATUSES))
    )
    contacts = (
        Interaction.objects.filter(customer=customer)
        .exclude(channel__in=[Channel.NOTE, Channel.SYSTEM])
        .order_by()
        .values("channel")
        .annotate(last_at=Max("occurred_at"))
    )
    since = customer.customer_since or customer.created_at.date()
    return Customer360(
        customer=customer,
        tenure_days=max(0, (now().date() - since).days),
        orders_count=orders_count,
        order_totals=totals,
        open_cases_count=case_counts["open"],
        cases_count=case_counts["total"],
        last_contacts=sorted(
            (ChannelContact(row["channel"], row["last_at"]) for row in contacts),
            key=lambda contact: contact.last_at,
            reverse=True,
        ),
        facts=list(PersonalFact.objects.filter(customer=customer)),
        consents=consent_current(customer=customer),
        identities=list(Identity.objects.filter(customer=customer)),
    )


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
    seconds = (
        Interaction.objects.filter(case=case)
        .order_by()
        .aggregate(total=Sum("time_spent_seconds"))["total"]
        or 0
    )
    staff = Money(
        hourly.amount * Decimal(seconds) / Decimal(3600), hourly.currency
    ).quantized()
    entries = list(CaseCost.objects.filter(case=case).select_related("recorded_by"))
    sums: dict[str, Decimal] = {staff.currency: staff.amount}
    for entry in entries:
        sums[entry.currency] = sums.get(entry.currency, Decimal(0)) + entry.amount
    return CaseCostSummary(
        staff_seconds=int(seconds),
        staff_cost=staff,
        entries=entries,
        totals=[Money(amount, currency) for currency, amount in sorted(sums.items())],
    )
