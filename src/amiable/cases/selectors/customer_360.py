"""The customer 360 summary that sits beside a case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum

from amiable.accounts.models import User
from amiable.cases.models import OPEN_STATUSES, Case
from amiable.cases.selectors.cases import case_is_visible
from amiable.commerce.models import Order
from amiable.conversations.models import Channel, Interaction
from amiable.core.clock import now
from amiable.customers.models import Consent, Customer, Identity, PersonalFact
from amiable.customers.selectors import consent_current

# Every open case of the customer, whichever team owns it (so an agent sees what a
# colleague promised or granted); a customer with more is rare and gets a count.
OPEN_CASES_SHOWN = 50
# What the list shows of each (and ``case_is_visible`` reads): ten columns, not
# the ~50 of the cases, their teams and assignees.
OPEN_CASE_FIELDS = (
    "reference",
    "subject",
    "status",
    "team_id",
    "assignee_id",
    "team__name",
    "assignee__first_name",
    "assignee__last_name",
    "assignee__username",
)


@dataclass(frozen=True)
class OrderTotal:
    currency: str
    amount: Decimal


@dataclass(frozen=True)
class ChannelContact:
    channel: str
    last_at: dt.datetime


@dataclass(frozen=True)
class CustomerCase:
    """One of the customer's open cases; another team's is shown read-only."""

    case: Case
    is_visible: bool  # False: no link, the owning team is named instead


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
    open_cases: list[CustomerCase]


def customer_360(
    *, actor: User, customer: Customer, with_open_cases: bool = False
) -> Customer360:
    """Everything an agent should know at a glance, in a fixed number of queries;
    ``with_open_cases`` adds every open case of the customer, whichever team owns
    it (beside a case, so a colleague's work is known; one query)."""
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
    open_cases = (
        [
            CustomerCase(case=row, is_visible=case_is_visible(actor=actor, case=row))
            for row in Case.objects.filter(customer=customer, status__in=OPEN_STATUSES)
            .select_related("team", "assignee")
            .only(*OPEN_CASE_FIELDS)
            .order_by("-last_activity_at", "-id")[:OPEN_CASES_SHOWN]
        ]
        if with_open_cases
        else []
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
        open_cases=open_cases,
    )
