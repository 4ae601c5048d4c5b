"""Requests: who may ask, the legal clock, one open request at a time, resuming."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pytest_django.fixtures import Settings

from amiable.accounts.models import User
from amiable.audit.models import AuditEvent
from amiable.core.errors import PermissionDeniedError
from amiable.core.personal_data import (
    DataSubject,
    ErasureOutcome,
    ExportPart,
    PersonalDataSection,
    personal_data_register,
    personal_data_unregister,
)
from amiable.customers.models import Customer, CustomerStatus
from amiable.privacy.models import DataRequest, RequestKind, RequestStatus
from amiable.privacy.services import (
    data_request_create,
    data_request_fail,
    data_request_run,
    legal_due_at,
)
from tests.factories import CustomerFactory
from tests.privacy.conftest import EMAIL, NAME

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # 31 January has no 31 February: the last day of February, not extended to
        # the Monday (a deadline we must meet: the earliest date).
        (dt.datetime(2026, 1, 31, 10, 0, tzinfo=PARIS), dt.date(2026, 2, 28)),
        # Late at night in Paris is already the next day there, not in UTC.
        (dt.datetime(2026, 3, 14, 23, 30, tzinfo=dt.UTC), dt.date(2026, 4, 15)),
        # Across the spring change of time.
        (dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC), dt.date(2026, 4, 29)),
    ],
)
def test_the_legal_due_date_is_one_month_in_paris(
    received: dt.datetime, due: dt.date
) -> None:
    due_at = legal_due_at(received).astimezone(PARIS)

    assert (due_at.date(), due_at.hour, due_at.minute) == (due, 23, 59)


@pytest.fixture
def queued(settings: Settings) -> None:
    """Tasks go to the database queue and wait there (no worker in the test)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.usefixtures("queued")
def test_agents_may_do_nothing_supervisors_export_admins_erase(
    helene: Customer, agent: User, supervisor: User, admin_user: User
) -> None:
    audit_before = AuditEvent.objects.count()
    with pytest.raises(PermissionDeniedError):
        data_request_create(actor=agent, customer=helene, kind=RequestKind.EXPORT)
    with pytest.raises(PermissionDeniedError):
        data_request_create(actor=agent, customer=helene, kind=RequestKind.ERASURE)
    with pytest.raises(PermissionDeniedError):
        data_request_create(actor=supervisor, customer=helene, kind=RequestKind.ERASURE)
    assert DataRequest.objects.count() == 0
    assert AuditEvent.objects.count() == audit_before

    export = data_request_create(
        actor=supervisor, customer=helene, kind=RequestKind.EXPORT
    )
    erasure = data_request_create(
        actor=admin_user, customer=helene, kind=RequestKind.ERASURE
    )

    assert (export.status, erasure.status) == (RequestStatus.PENDING,) * 2
    assert export.requested_by == supervisor
    assert AuditEvent.objects.filter(action="privacy.export_request").count() == 1


@pytest.mark.usefixtures("queued")
def test_asking_twice_while_open_answers_the_same_request(
    helene: Customer, supervisor: User
) -> None:
    first = data_request_create(actor=supervisor, customer=helene, kind="export")
    second = data_request_create(actor=supervisor, customer=helene, kind="export")

    assert second.pk == first.pk
    DataRequest.objects.filter(pk=first.pk).update(status=RequestStatus.FAILED)
    third = data_request_create(actor=supervisor, customer=helene, kind="export")
    assert third.pk != first.pk


@pytest.mark.usefixtures("queued")
def test_a_merged_customer_is_handled_with_the_one_it_was_merged_into(
    helene: Customer, supervisor: User
) -> None:
    old = CustomerFactory.create(
        name="Hélène D.", status=CustomerStatus.MERGED, merged_into=helene
    )

    request = data_request_create(actor=supervisor, customer=old, kind="export")

    assert request.customer_id == helene.pk
    data_request_run(request_id=request.pk)
    request.refresh_from_db()
    with zipfile.ZipFile(request.archive.open("rb")) as archive:
        customers = json.loads(archive.read("customers.json"))["customers"]
    assert sorted(row["name"] for row in customers) == ["Hélène D.", NAME]


def test_the_export_is_a_zip_of_json_and_csv_per_section(
    helene: Customer, supervisor: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        request = data_request_create(actor=supervisor, customer=helene, kind="export")

    request.refresh_from_db()
    assert request.status == RequestStatus.DONE
    assert request.progress_percent == 100
    assert request.expires_at is not None
    with zipfile.ZipFile(request.archive.open("rb")) as archive:
        names = set(archive.namelist())
        customers = json.loads(archive.read("customers.json"))
        manifest = json.loads(archive.read("manifest.json"))
        identities_csv = archive.read("customers/identities.csv").decode("utf-8-sig")
        orders = json.loads(archive.read("commerce.json"))["orders"]
    assert {"cases.json", "cases/cases.csv", "conversations.json"} <= names
    assert customers["customers"][0]["name"] == NAME
    assert customers["customers"][0]["notes"] == "Préfère être appelée le soir"
    rows = list(csv.DictReader(io.StringIO(identities_csv)))
    assert sorted(row["value"] for row in rows) == ["06 12 34 56 78", EMAIL]
    assert len(orders) == 1
    assert manifest["customer_ids"] == [helene.pk]
    assert manifest["sections"]["customers"]["tables"]["addresses"] == 1


def test_an_erasure_that_fails_resumes_after_its_last_step(
    helene: Customer, admin_user: User, settings: Settings
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    calls: list[str] = []

    def flaky(subject: DataSubject) -> ErasureOutcome:
        calls.append("flaky")
        if len(calls) == 1:
            raise RuntimeError("disk full")
        return ErasureOutcome(changed={"things": 1})

    personal_data_register(
        PersonalDataSection(
            name="flaky",
            export=lambda subject: ExportPart(),
            erase=flaky,
            order=25,
        )
    )
    try:
        request = data_request_create(actor=admin_user, customer=helene, kind="erasure")
        with pytest.raises(RuntimeError):
            data_request_run(request_id=request.pk)
        request.refresh_from_db()
        done_before = list(request.steps_done)
        assert request.status == RequestStatus.RUNNING
        assert "conversations" in done_before
        assert "flaky" not in done_before
        assert "customers" not in done_before  # still named: the retry finds them

        data_request_run(request_id=request.pk)
    finally:
        personal_data_unregister("flaky")

    request.refresh_from_db()
    assert request.status == RequestStatus.DONE
    assert request.steps_done[: len(done_before)] == done_before
    assert request.steps_done.count("conversations") == 1
    assert request.changed["flaky.things"] == 1
    assert Customer.objects.get(pk=helene.pk).name == "[erased]"
    assert calls == ["flaky", "flaky"]


def test_a_request_whose_last_attempt_failed_says_why(
    helene: Customer, supervisor: User, settings: Settings
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    request = data_request_create(actor=supervisor, customer=helene, kind="export")

    data_request_fail(request_id=request.pk, reason="OSError: no space left")

    request.refresh_from_db()
    assert (request.status, request.error) == (
        RequestStatus.FAILED,
        "OSError: no space left",
    )
