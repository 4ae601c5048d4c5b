"""Retention policies: prospects 3 years after their last contact, customers whose
cases all closed N years ago, expired exports; the command's dry run and real run."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.utils import timezone
from pytest_django.fixtures import Settings

from amiable.cases.models import CaseStatus
from amiable.conversations.models import Direction
from amiable.core.personal_data import TOMBSTONE
from amiable.customers.models import Customer
from amiable.privacy.models import DataRequest, RequestKind, RequestSource
from amiable.privacy.retention import retention_run
from tests.factories import (
    CaseFactory,
    CustomerFactory,
    InteractionFactory,
    OrderFactory,
)

pytestmark = pytest.mark.django_db


def _years_ago(years: int, days: int = 0) -> dt.datetime:
    return timezone.now() - relativedelta(years=years) - dt.timedelta(days=days)


def _customer(name: str, recorded: dt.datetime) -> Customer:
    customer = CustomerFactory.create(name=name)
    Customer.objects.filter(pk=customer.pk).update(created_at=recorded)
    return customer


@pytest.fixture
def people(db: None) -> dict[str, Customer]:
    old_prospect = _customer("Prospect Ancien", _years_ago(4))
    InteractionFactory.create(
        customer=old_prospect, direction=Direction.INBOUND, occurred_at=_years_ago(3, 2)
    )
    # We wrote to them last month: outbound messages do not count as contact.
    InteractionFactory.create(
        customer=old_prospect,
        direction=Direction.OUTBOUND,
        occurred_at=_years_ago(0, 30),
    )
    recent_prospect = _customer("Prospect Récent", _years_ago(4))
    InteractionFactory.create(
        customer=recent_prospect,
        direction=Direction.INBOUND,
        occurred_at=_years_ago(2, 360),
    )
    buyer = _customer("Client Acheteur", _years_ago(6))
    OrderFactory.create(customer=buyer, placed_at=_years_ago(6))
    closed = _customer("Client Clos", _years_ago(7))
    OrderFactory.create(customer=closed, placed_at=_years_ago(7))
    CaseFactory.create(
        customer=closed, status=CaseStatus.CLOSED, closed_at=_years_ago(5, 10)
    )
    still_open = _customer("Client Ouvert", _years_ago(7))
    CaseFactory.create(customer=still_open, status=CaseStatus.OPEN)
    return {
        "old_prospect": old_prospect,
        "recent_prospect": recent_prospect,
        "buyer": buyer,
        "closed": closed,
        "still_open": still_open,
    }


def test_the_dry_run_counts_per_policy_and_changes_nothing(
    people: dict[str, Customer],
) -> None:
    reports = {report.policy: report.count for report in retention_run(dry_run=True)}

    assert reports == {"prospects": 1, "closed_cases": 1, "exports": 0}
    assert not DataRequest.objects.exists()
    assert Customer.objects.filter(name=TOMBSTONE).count() == 0


def test_the_real_run_erases_through_the_same_eraser(
    people: dict[str, Customer], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        retention_run(dry_run=False)

    erased = set(Customer.objects.filter(name=TOMBSTONE).values_list("pk", flat=True))
    assert erased == {people["old_prospect"].pk, people["closed"].pk}
    requests = DataRequest.objects.filter(kind=RequestKind.ERASURE)
    assert {(r.source, r.policy) for r in requests} == {
        (RequestSource.RETENTION, "prospects"),
        (RequestSource.RETENTION, "closed_cases"),
    }
    # Erased people are not found again by the next run.
    assert {r.policy: r.count for r in retention_run(dry_run=True)}["prospects"] == 0


def test_a_policy_set_to_zero_is_off(
    people: dict[str, Customer], settings: Settings
) -> None:
    settings.AMIABLE_RETENTION_PROSPECT_YEARS = 0

    reports = {report.policy: report for report in retention_run(dry_run=True)}

    assert (reports["prospects"].count, reports["prospects"].cutoff) == (0, None)


def test_the_command_prints_a_report(people: dict[str, Customer]) -> None:
    out = StringIO()

    call_command("privacy_retention", "--dry-run", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("prospects: would erase 1 people (before ")
    assert lines[1].startswith("closed_cases: would erase 1 people")
    assert lines[2].startswith("exports: would erase 0 archives")
    assert lines[-1] == "Dry run: 2 in all."
    assert not DataRequest.objects.exists()


def test_expired_exports_lose_their_file(
    people: dict[str, Customer], admin_user: Any
) -> None:
    from amiable.privacy.services import data_request_create, data_request_run

    export = data_request_run(
        request_id=data_request_create(
            actor=admin_user, customer=people["buyer"], kind="export"
        ).pk
    )
    name = export.archive.name
    storage = export.archive.storage
    DataRequest.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )

    reports = {r.policy: r.count for r in retention_run(dry_run=False)}

    assert reports["exports"] == 1
    export.refresh_from_db()
    assert not export.archive
    assert not storage.exists(name)
