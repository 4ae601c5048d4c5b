"""Carrier CSV files: comma or semicolon, UTF-8 or Windows-1252, checked whole
(every bad line named, nothing stored), then imported as a background job; the API
and the command line. The immediate task backend runs the job at commit."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from amiable.accounts.models import User
from amiable.commerce.models import QuarantinedTrackingEvent, TrackingEvent
from amiable.jobs.models import ImportJob
from tests.factories import ShipmentFactory

GOOD = (
    "carrier;tracking_number;event_id;status;occurred_at;location;description\n"
    "Colissimo;6A1;e1;in_transit;2026-03-03T08:00:00+01:00;Wissous;Pris en charge\n"
    "Colissimo;6A1;e2;delivered;2026-03-04T11:30:00+01:00;Besançon;Livré\n"
    "Colissimo;XX9;e3;in_transit;2026-03-04T12:00:00+01:00;Orléans;\n"
)


@pytest.fixture
def upload(token_for: Callable[[User], str]) -> Callable[[User, bytes], Any]:
    def run(user: User, content: bytes) -> Any:
        client = Client(headers={"Authorization": f"Bearer {token_for(user)}"})
        return client.post(
            "/api/v1/tracking/imports",
            {"file": SimpleUploadedFile("suivi.csv", content, "text/csv")},
        )

    return run


@pytest.fixture
def follow(token_for: Callable[[User], str]) -> Callable[[User, int], Any]:
    def run(user: User, job_id: int) -> Any:
        client = Client(headers={"Authorization": f"Bearer {token_for(user)}"})
        return client.get(f"/api/v1/tracking/imports/{job_id}")

    return run


@pytest.mark.django_db
def test_a_french_spreadsheet_export_is_imported(
    supervisor: User,
    upload: Callable[[User, bytes], Any],
    follow: Callable[[User, int], Any],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    shipment = ShipmentFactory.create(carrier="Colissimo", tracking_number="6A1")

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(supervisor, GOOD.encode("cp1252"))
    with django_capture_on_commit_callbacks(execute=True):
        again = upload(supervisor, GOOD.encode("cp1252"))
    job = follow(supervisor, response.json()["id"]).json()

    assert response.status_code == 202
    assert (response.json()["state"], response.json()["rows_done"]) == ("queued", 0)
    assert {
        key: job[key]
        for key in ("kind", "state", "source_name", "rows_total", "rows_done")
    } == {
        "kind": "tracking_csv",
        "state": "succeeded",
        "source_name": "suivi.csv",
        "rows_total": 3,
        "rows_done": 3,
    }
    assert job["counts"] == {"recorded": 2, "duplicate": 0, "quarantined": 1}
    assert job["url"] == f"/imports/{job['id']}/"
    assert follow(supervisor, again.json()["id"]).json()["counts"] == {
        "recorded": 0,
        "duplicate": 3,
        "quarantined": 0,
    }
    assert list(
        TrackingEvent.objects.filter(shipment=shipment).values_list(
            "location", flat=True
        )
    ) == ["Wissous", "Besançon"]
    shipment.refresh_from_db()
    assert shipment.status == "delivered"
    assert QuarantinedTrackingEvent.objects.get().tracking_number == "XX9"


@pytest.mark.django_db
def test_a_file_with_bad_lines_imports_nothing_and_names_them(
    supervisor: User, upload: Callable[[User, bytes], Any]
) -> None:
    content = (
        "\ufeffcarrier,tracking_number,event_id,status,occurred_at\n"
        "DPD,1,a,in_transit,2026-03-03T08:00:00Z\n"
        "DPD,1,b,lost,2026-03-03T09:00:00Z\n"
        "DPD,1,c,in_transit,hier\n"
    ).encode()

    response = upload(supervisor, content)

    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"line 3", "line 4"}
    assert (
        TrackingEvent.objects.count() == QuarantinedTrackingEvent.objects.count() == 0
    )


@pytest.mark.parametrize(
    ("content", "field"),
    [(b"", "file"), (b"carrier,status\nDPD,delivered\n", "file")],
)
@pytest.mark.django_db
def test_an_empty_file_or_missing_columns_are_clear_errors(
    supervisor: User, upload: Callable[[User, bytes], Any], content: bytes, field: str
) -> None:
    response = upload(supervisor, content)

    assert response.status_code == 422
    assert list(response.json()["fields"]) == [field]


@pytest.mark.django_db
def test_agents_cannot_import(
    agent: User, upload: Callable[[User, bytes], Any]
) -> None:
    response = upload(agent, GOOD.encode())

    assert response.status_code == 403
    assert QuarantinedTrackingEvent.objects.count() == 0


@pytest.mark.django_db(transaction=True)  # the job is enqueued at a real commit
def test_the_command_imports_a_file_and_says_what_it_did(
    supervisor: User, tmp_path: Path
) -> None:
    path = tmp_path / "suivi.csv"
    path.write_text(GOOD, encoding="utf-8")
    out = StringIO()

    call_command("tracking_import", str(path), "--as", "supervisor", stdout=out)

    job = ImportJob.objects.get()
    assert out.getvalue().splitlines() == [
        f"Import #{job.pk} queued: 3 rows.",
        "3/3 rows",
        "Rows: 3; recorded: 0; duplicates: 0; quarantined: 3; errors: 0",
    ]


@pytest.mark.django_db
def test_the_command_fails_with_one_readable_line(
    supervisor: User, tmp_path: Path
) -> None:
    path = tmp_path / "suivi.csv"
    path.write_text("carrier,status\nDPD,delivered\n", encoding="utf-8")

    with pytest.raises(
        CommandError, match="^Des colonnes manquent|^Columns are missing"
    ):
        call_command("tracking_import", str(path), "--as", "supervisor")
