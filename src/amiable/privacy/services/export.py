"""The subject access export: one zip of JSON and CSV, one file per section.

``<section>.json`` holds every table of a section; ``<section>/<table>.csv`` each
table alone (UTF-8 with a byte-order mark, so spreadsheets read the accents);
stored files (attachments, raw e-mails) are under ``files/``; ``manifest.json``
says whose data, when, and what each section holds."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import secrets
import tempfile
import zipfile
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction

from amiable.core.clock import now
from amiable.core.personal_data import DataSubject, personal_data_sections
from amiable.privacy.models import DataRequest, RequestStatus
from amiable.privacy.services.subject import data_subject_of

FORMAT_VERSION = 1


def _csv(rows: list[dict[str, Any]]) -> bytes:
    columns: list[str] = []
    for row in rows:
        columns.extend(key for key in row if key not in columns)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                key: json.dumps(value, ensure_ascii=False)
                if isinstance(value, dict | list)
                else value
                for key, value in row.items()
            }
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _add_file(archive: zipfile.ZipFile, name: str, stored: str) -> bool:
    try:
        with default_storage.open(stored, "rb") as source:
            archive.writestr(f"files/{name}", source.read())
    except (FileNotFoundError, OSError):
        return False
    return True


def export_write(request: DataRequest, subject: DataSubject, target: Any) -> None:
    """Write the zip of ``subject``'s data to the binary stream ``target``,
    recording the progress on ``request`` section after section."""
    manifest: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "request": request.pk,
        "customer_ids": list(subject.customer_ids),
        "generated_at": now().isoformat(),
        "sections": {},
    }
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for section in personal_data_sections():
            part = section.export(subject)
            tables = part.tables
            if tables:
                archive.writestr(
                    f"{section.name}.json",
                    json.dumps(tables, ensure_ascii=False, indent=2, default=str),
                )
                for table, rows in tables.items():
                    archive.writestr(f"{section.name}/{table}.csv", _csv(rows))
            files = [
                name for name, stored in part.files if _add_file(archive, name, stored)
            ]
            manifest["sections"][section.name] = {
                "tables": {table: len(rows) for table, rows in tables.items()},
                "files": files,
            }
            _step_done(request, section.name)
        archive.writestr(
            "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2)
        )


def _step_done(request: DataRequest, name: str) -> None:
    if name not in request.steps_done:
        request.steps_done = [*request.steps_done, name]
        DataRequest.objects.filter(pk=request.pk).update(steps_done=request.steps_done)


def data_request_export(request: DataRequest) -> DataRequest:
    """Build the archive (again from the start on a retry: it is a snapshot)."""
    subject = data_subject_of(request.customer)
    request.steps_done = []
    with tempfile.TemporaryFile() as spool:
        export_write(request, subject, spool)
        spool.seek(0)
        old = request.archive.name
        request.archive_key = secrets.token_urlsafe(24)
        with transaction.atomic():
            request.archive.save("export.zip", File(spool), save=False)
            request.archive_size = request.archive.size
            request.status = RequestStatus.DONE
            request.finished_at = now()
            request.expires_at = request.finished_at + dt.timedelta(
                days=settings.AMIABLE_PRIVACY_EXPORT_DAYS
            )
            request.error = ""
            request.save()
    if old and old != request.archive.name:
        default_storage.delete(old)
    return request
