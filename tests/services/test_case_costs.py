"""The cost ledger of a case: entries once per source, staff time from interactions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pytest_django.fixtures import Settings

from amiable.accounts.models import User
from amiable.audit.models import AuditEvent
from amiable.cases.models import CaseCost, CostKind
from amiable.cases.selectors import case_cost_summary
from amiable.cases.services import case_cost_add
from amiable.core.errors import ValidationError
from amiable.core.money import Money
from amiable.customers.models import Customer
from tests.factories import CaseFactory, InteractionFactory


def test_an_entry_is_stored_once_per_source(customer: Customer, agent: User) -> None:
    case = CaseFactory.create(customer=customer)

    first = case_cost_add(
        actor=agent,
        case=case,
        kind=CostKind.GESTURE,
        cost=Money(Decimal("19.905"), "eur"),
        source="gestures.gesture:7",
    )
    again = case_cost_add(
        actor=agent,
        case=case,
        kind=CostKind.GESTURE,
        cost=Money(Decimal("99"), "EUR"),
        source="gestures.gesture:7",
    )

    assert again.pk == first.pk
    assert (first.amount, first.currency) == (Decimal("19.90"), "EUR")  # half-even
    assert CaseCost.objects.count() == 1
    assert AuditEvent.objects.filter(action="case.cost_add").count() == 1


@pytest.mark.parametrize(
    ("kind", "amount", "field"),
    [("bribe", "5", "kind"), (CostKind.POSTAGE, "-0.01", "amount")],
)
def test_a_bad_entry_is_refused(
    customer: Customer, agent: User, kind: str, amount: str, field: str
) -> None:
    case = CaseFactory.create(customer=customer)

    with pytest.raises(ValidationError) as refused:
        case_cost_add(
            actor=agent, case=case, kind=kind, cost=Money(Decimal(amount), "EUR")
        )

    assert list(refused.value.fields) == [field]
    assert CaseCost.objects.count() == 0


def test_summary_adds_staff_time_and_entries_per_currency(
    customer: Customer, agent: User, settings: Settings
) -> None:
    settings.STAFF_HOURLY_COST = Money(Decimal("38.00"), "EUR")
    case = CaseFactory.create(customer=customer)
    InteractionFactory.create(customer=customer, case=case, time_spent_seconds=3600)
    InteractionFactory.create(customer=customer, case=case, time_spent_seconds=1800)
    InteractionFactory.create(customer=customer, time_spent_seconds=7200)  # no case
    for kind, amount, currency in [
        (CostKind.REGISTERED_LETTER, "6.35", "EUR"),
        (CostKind.MEDIATOR_FEES, "150", "EUR"),
        (CostKind.POSTAGE, "4.10", "GBP"),
    ]:
        case_cost_add(
            actor=agent, case=case, kind=kind, cost=Money(Decimal(amount), currency)
        )

    summary = case_cost_summary(actor=agent, case=case)

    assert summary.staff_seconds == 5400
    assert summary.staff_cost == Money(Decimal("57.00"), "EUR")
    assert summary.totals == [
        Money(Decimal("213.35"), "EUR"),
        Money(Decimal("4.10"), "GBP"),
    ]


def test_summary_of_a_case_without_costs_is_zero(
    customer: Customer, agent: User
) -> None:
    case = CaseFactory.create(customer=customer)

    summary = case_cost_summary(actor=agent, case=case)

    assert (summary.staff_seconds, summary.entries) == (0, [])
    assert summary.totals == [Money(Decimal("0.00"), "EUR")]
