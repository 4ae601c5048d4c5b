"""Domain events: stored with the change that caused them, delivered once per handler
after commit, retried when a handler fails."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction

from amiable.accounts.models import User
from amiable.cases.models import CaseStatus
from amiable.cases.services import case_assign, case_change_status, case_open
from amiable.commerce.services import product_update
from amiable.conversations.models import Channel, Direction
from amiable.conversations.services import interaction_record
from amiable.customers.models import Customer
from amiable.events.catalogue import (
    CaseOpened,
    CaseStatusChanged,
    Event,
    InteractionRecorded,
)
from amiable.events.models import DomainEvent, EventDelivery
from amiable.events.registry import event_handler, handler_unregister
from amiable.events.services import event_deliver
from tests.factories import CaseFactory, CustomerFactory, ProductFactory

OnCommit = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


@pytest.fixture
def customer(db: None) -> Customer:
    return CustomerFactory.create(name="Anaïs Lefèvre")


@pytest.fixture
def heard() -> Iterator[list[Event]]:
    """Handlers for three events that record what they hear."""
    events: list[Event] = []

    @event_handler(CaseOpened)
    def on_opened(event: CaseOpened) -> None:
        events.append(event)

    @event_handler(CaseStatusChanged)
    def on_status(event: CaseStatusChanged) -> None:
        events.append(event)

    @event_handler(InteractionRecorded)
    def on_interaction(event: InteractionRecorded) -> None:
        events.append(event)

    yield events
    for function in (on_opened, on_status, on_interaction):
        handler_unregister(f"{function.__module__}.{function.__qualname__}")


def test_case_open_emits_one_typed_event_after_commit(
    customer: Customer,
    agent: User,
    heard: list[Event],
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case = case_open(
            actor=agent, customer=customer, subject="Colis abîmé", kind="complaint"
        )
        assert heard == []  # nothing is delivered before the commit

    assert heard == [
        CaseOpened(
            case_id=case.pk,
            customer_id=customer.pk,
            kind="complaint",
            priority="normal",
            channel=Channel.EMAIL,
            team_id=None,
            assignee_id=None,
        )
    ]
    row = DomainEvent.objects.get(name="case.opened")
    assert (row.actor, row.payload["case_id"]) == (agent, case.pk)
    # Once to this test's handler (the apps' own handlers get their delivery too).
    assert (
        EventDelivery.objects.filter(event=row, handler__startswith="tests.").count()
        == 1
    )


def test_a_rolled_back_change_emits_nothing(
    customer: Customer, agent: User, heard: list[Event]
) -> None:
    def failing_request() -> None:
        with transaction.atomic():
            case_open(actor=agent, customer=customer, subject="Annulé")
            raise RuntimeError("the request failed after the service")

    with pytest.raises(RuntimeError):
        failing_request()

    assert DomainEvent.objects.count() == 0
    assert heard == []


def test_status_change_carries_both_statuses_and_no_change_emits_nothing(
    customer: Customer,
    agent: User,
    heard: list[Event],
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    case = CaseFactory.create(customer=customer, status=CaseStatus.OPEN)

    with django_capture_on_commit_callbacks(execute=True):
        for _attempt in range(2):
            case_change_status(
                actor=agent,
                case=case,
                status=CaseStatus.RESOLVED,
                resolution_summary="Remboursé",
            )

    assert [(e.previous_status, e.status) for e in heard] == [  # type: ignore[attr-defined]
        (CaseStatus.OPEN, CaseStatus.RESOLVED)
    ]


def test_assigning_a_new_case_opens_it_and_says_so(
    customer: Customer,
    agent: User,
    heard: list[Event],
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    case = CaseFactory.create(customer=customer, status=CaseStatus.NEW)

    with django_capture_on_commit_callbacks(execute=True):
        case_assign(actor=agent, case=case, assignee=agent)

    assert [type(event) for event in heard] == [CaseStatusChanged]
    assert DomainEvent.objects.filter(name="case.assigned").count() == 1


def test_a_replayed_interaction_emits_no_second_event(
    customer: Customer,
    heard: list[Event],
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for _attempt in range(2):
            interaction_record(
                actor=None,
                customer=customer,
                channel=Channel.SMS,
                direction=Direction.INBOUND,
                body_text="Où est ma commande ?",
                external_id="sms-0001",
            )

    assert len(heard) == 1
    assert DomainEvent.objects.filter(name="interaction.recorded").count() == 1


def test_delivery_is_once_per_handler_and_a_failure_is_retried(
    customer: Customer, agent: User
) -> None:
    calls: list[int] = []
    failing = {"left": 1}

    @event_handler(CaseOpened)
    def flaky(event: CaseOpened) -> None:
        calls.append(event.case_id)
        if failing["left"]:
            failing["left"] -= 1
            raise ConnectionError("the mail server is down")

    name = f"{flaky.__module__}.{flaky.__qualname__}"
    try:
        case = case_open(actor=agent, customer=customer, subject="Retard")  # no commit
        event_id = DomainEvent.objects.get(name="case.opened").pk

        with pytest.raises(ConnectionError):
            event_deliver(event_id=event_id, handler=name)
        assert not EventDelivery.objects.filter(handler=name).exists()

        assert event_deliver(event_id=event_id, handler=name) is True
        assert event_deliver(event_id=event_id, handler=name) is False
    finally:
        handler_unregister(name)

    assert calls == [case.pk, case.pk]
    assert EventDelivery.objects.filter(handler=name).count() == 1


def test_a_price_change_is_an_event_and_a_rename_is_not(admin_user: User) -> None:
    product = ProductFactory.create(price=Decimal("89.90"))

    product_update(actor=admin_user, product=product, name="Bouilloire inox")
    product_update(actor=admin_user, product=product, price=Decimal("69.90"))

    rows = DomainEvent.objects.filter(name="product.price_changed")
    assert [(row.payload["previous_price"], row.payload["price"]) for row in rows] == [
        ("89.90", "69.90")
    ]
