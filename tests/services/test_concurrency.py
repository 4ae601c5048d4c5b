"""Races between real concurrent transactions (PostgreSQL only: SQLite serialises
writers, so these interleavings cannot happen there)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
from django.conf import settings
from django.db import connection

from amiable.accounts.models import User
from amiable.cases.errors import CaseVersionConflictError
from amiable.cases.models import Case, CaseStatus
from amiable.cases.services import case_change_status, case_open, case_update
from amiable.conversations import sanitising
from amiable.conversations import services as conversation_services
from amiable.conversations.models import Interaction
from amiable.customers import services as customer_services
from amiable.customers.models import Customer, Identity
from amiable.customers.services import profile as customer_profile
from tests.factories import CaseFactory, CustomerFactory

T = TypeVar("T")

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASE_VENDOR != "postgresql",
        reason="needs concurrent writers (PostgreSQL)",
    ),
    pytest.mark.django_db(transaction=True),
]


def _in_threads(calls: list[Callable[[], T]]) -> list[T | Exception]:
    """Run each call in its own thread and database connection; return results or
    the exceptions raised, in order."""

    def run(call: Callable[[], T]) -> T | Exception:
        try:
            return call()
        except Exception as exc:  # noqa: BLE001 - returned to the test to assert on
            return exc
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def _meeting_at(
    barrier: threading.Barrier, function: Callable[..., T]
) -> Callable[..., T]:
    """Wrap ``function`` so every thread waits for the others before calling it."""

    def wrapper(*args: Any, **kwargs: Any) -> T:
        barrier.wait(timeout=10)
        return function(*args, **kwargs)

    return wrapper


def test_two_callers_finding_a_new_identity_create_one_customer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Both callers have looked the identity up and found nobody before either creates.
    barrier = threading.Barrier(2)
    monkeypatch.setattr(
        customer_profile,
        "customer_create",
        _meeting_at(barrier, customer_profile.customer_create),
    )

    def find() -> customer_services.FoundCustomer:
        return customer_services.customer_find_or_create_by_identity(
            actor=None, kind="email", value="Course@Exemple.fr", name="Course"
        )

    results = _in_threads([find, find])

    found = [
        result
        for result in results
        if isinstance(result, customer_services.FoundCustomer)
    ]
    assert len(found) == 2
    assert sorted(result.created for result in found) == [False, True]
    assert found[0].customer.pk == found[1].customer.pk
    assert Customer.objects.count() == 1
    assert Identity.objects.get().normalized == "course@exemple.fr"


def test_the_same_message_received_twice_at_once_is_stored_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    customer = CustomerFactory.create()
    barrier = threading.Barrier(2)
    monkeypatch.setattr(
        conversation_services,
        "sanitise_html",
        _meeting_at(barrier, sanitising.sanitise_html),
    )

    def receive() -> conversation_services.RecordedInteraction:
        return conversation_services.interaction_record(
            actor=None,
            customer=customer,
            channel="email",
            direction="inbound",
            body_text="Bonjour",
            external_id="<race@mail.fr>",
        )

    results = _in_threads([receive, receive])

    recorded = [
        result
        for result in results
        if isinstance(result, conversation_services.RecordedInteraction)
    ]
    assert sorted(result.created for result in recorded) == [False, True]
    assert recorded[0].interaction.pk == recorded[1].interaction.pk
    assert Interaction.objects.count() == 1


def test_concurrent_case_openings_get_distinct_sequential_references(
    agent: User,
) -> None:
    customer = CustomerFactory.create()
    barrier = threading.Barrier(4)

    def open_case() -> str:
        barrier.wait(timeout=10)
        return case_open(actor=agent, customer=customer, subject="Colis").reference

    results = _in_threads([open_case] * 4)

    year = Case.objects.values_list("opened_at__year", flat=True).first()
    assert sorted(map(str, results)) == [f"C-{year}-00000{n}" for n in range(1, 5)]


def _update(actor: User, case: Case, choice: int) -> Case:
    priority = ["high", "low"][choice]
    return case_update(actor=actor, case=case, expected_version=1, priority=priority)


def _change_status(actor: User, case: Case, choice: int) -> Case:
    status = [CaseStatus.RESOLVED, CaseStatus.WAITING_CUSTOMER][choice]
    return case_change_status(
        actor=actor,
        case=case,
        status=status,
        expected_version=1,
        resolution_summary="Remboursé",
    )


@pytest.mark.parametrize("operation", [_update, _change_status])
def test_two_concurrent_writes_of_one_version_give_one_success_and_one_conflict(
    agent: User, operation: Callable[[User, Case, int], Case]
) -> None:
    case = CaseFactory.create(status=CaseStatus.OPEN)
    barrier = threading.Barrier(2)

    def write(choice: int) -> Case:
        stale = Case.objects.get(pk=case.pk)
        barrier.wait(timeout=10)
        return operation(agent, stale, choice)

    results = _in_threads([lambda: write(0), lambda: write(1)])

    assert sorted(type(result).__name__ for result in results) == [
        "Case",
        "CaseVersionConflictError",
    ]
    conflict = next(r for r in results if isinstance(r, CaseVersionConflictError))
    assert conflict.extra == {"current_version": 2}
    assert Case.objects.get(pk=case.pk).version == 2
