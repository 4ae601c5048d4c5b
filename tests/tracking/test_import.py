"""Carrier CSV files: comma or semicolon, UTF-8 or Windows-1252, all or nothing,
every bad line named; the API and the command line."""

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


@pytest.mark.django_db
def test_a_french_spreadsheet_export_is_imported(
    supervisor: User,
    upload: Callable[[User, bytes], Any],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    shipment = ShipmentFactory.create(carrier="Colissimo", tracking_number="6A1")

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(supervisor, GOOD.encode("cp1252"))
        again = upload(supervisor, GOOD.encode("cp1252"))

    assert response.status_code == 201
    assert response.json() == {
        "rows": 3,
        "recorded": 2,
        "duplicates": 0,
        "quarantined": 1,
    }
    assert again.json() == {"rows": 3, "recorded": 0, "duplicates": 3, "quarantined": 0}
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


@pytest.mark.django_db
def test_the_command_imports_a_file_and_says_what_it_did(
    supervisor: User, tmp_path: Path
) -> None:
    path = tmp_path / "suivi.csv"
    path.write_text(GOOD, encoding="utf-8")
    out = StringIO()

    call_command("tracking_import", str(path), "--as", "supervisor", stdout=out)

    assert out.getvalue().strip() == (
        "Rows: 3; recorded: 0; duplicates: 0; quarantined: 3"
    )


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
