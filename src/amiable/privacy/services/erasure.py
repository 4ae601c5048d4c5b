"""Erasure by anonymisation: every registered section, one transaction each.

The steps run in the sections' order; each one is recorded in ``steps_done`` as
it commits, so a retried task resumes after the last. The customers' own rows go
last: until then the person's names and addresses can be read again to find what
the other sections must scrub. Afterwards the search index is compacted and, on
SQLite, the write-ahead log emptied, so no page of the file keeps the old text
(the connection runs with ``secure_delete``, which zeroes freed space)."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Q

from amiable.audit.services import audit_record
from amiable.core.clock import now
from amiable.core.personal_data import personal_data_sections
from amiable.privacy.models import DataRequest, RequestKind, RequestStatus
from amiable.privacy.services.subject import customer_ids_of, data_subject_of


def _record(
    request: DataRequest,
    name: str,
    changed: dict[str, int],
    kept: list[dict[str, object]],
) -> None:
    request.steps_done = [*request.steps_done, name]
    request.changed = {
        **request.changed,
        **{f"{name}.{t}": n for t, n in changed.items()},
    }
    request.kept = [*request.kept, *kept]
    DataRequest.objects.filter(pk=request.pk).update(
        steps_done=request.steps_done, changed=request.changed, kept=request.kept
    )


def data_request_erase(request: DataRequest) -> DataRequest:
    subject = data_subject_of(request.customer)
    for section in personal_data_sections():
        if section.name in request.steps_done:
            continue
        with transaction.atomic():
            outcome = section.erase(subject)
            kept = [
                {
                    "table": f"{section.name}.{k.table}",
                    "count": k.count,
                    "reason": k.reason,
                }
                for k in outcome.kept
            ]
            _record(request, section.name, outcome.changed, kept)
    _archives_delete(customer_ids_of(request.customer), keep=request.pk)
    search_index_compact()
    with transaction.atomic():
        request.status = RequestStatus.DONE
        request.finished_at = now()
        request.error = ""
        request.save(update_fields=["status", "finished_at", "error"])
        audit_record(
            actor=request.requested_by,
            action="privacy.erasure_done",
            instance=request,
            actor_label="" if request.requested_by else request.source,
            after={"customer": request.customer_id, "steps": len(request.steps_done)},
        )
    return request


def _archives_delete(customer_ids: tuple[int, ...], *, keep: int) -> None:
    """Earlier exports of the person hold all their data: gone with it."""
    rows = DataRequest.objects.filter(
        Q(customer_id__in=customer_ids), kind=RequestKind.EXPORT
    ).exclude(archive="")
    for request in rows:
        request.archive.delete(save=False)
        DataRequest.objects.filter(pk=request.pk).update(
            archive="", archive_size=0, expires_at=None
        )


def _fts5_tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%'"
        )
        return [row[0] for row in cursor.fetchall()]


def search_index_compact() -> None:
    """Merge the full-text indexes so no old segment keeps an erased word, then
    copy the write-ahead log into the database file and truncate it (SQLite).

    PostgreSQL's search tables are rewritten by their triggers; the dead row
    versions are reclaimed by autovacuum."""
    if connection.vendor != "sqlite":
        return
    with transaction.atomic(), connection.cursor() as cursor:
        for table in _fts5_tables():
            # Names read from sqlite_master, not user input.
            cursor.execute(f'INSERT INTO "{table}" ("{table}") VALUES (\'optimize\')')  # noqa: S608
    if connection.in_atomic_block:
        return  # a checkpoint needs no open transaction; the next one will do
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
