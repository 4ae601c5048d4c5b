"""Import jobs: one transaction per batch, progress after each, resumed after the
last committed batch when a run is cut short."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest
from pytest_django.fixtures import Settings

from amiable.accounts.models import Team, User
from amiable.audit.models import AuditEvent
from amiable.audit.services import audit_record
from amiable.commerce.models import QuarantinedTrackingEvent
from amiable.commerce.services import TRACKING_IMPORT
from amiable.jobs.models import ImportJob, ImportState
from amiable.jobs.registry import (
    BatchOutcome,
    ImportKind,
    ImportRow,
    import_kind_register,
)
from amiable.jobs.services import import_job_create, import_job_run

TEST_KIND = "test_lines"


def tracking_csv(rows: int) -> bytes:
    lines = ["carrier,tracking_number,event_id,status,occurred_at"]
    lines += [
        f"DPD,UNKNOWN{n % 7},ev{n},in_transit,2026-03-03T08:{n % 60:02d}:00Z"
        for n in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


class Interrupt(Exception):
    """Stands for the worker dying in the middle of a batch."""


@pytest.fixture
def line_kind(team: Team) -> dict[str, bool]:
    """An import of text lines: each line is an audit event on ``team``; the line
    ``boom`` interrupts its batch while ``armed``, a line ``bad`` is refused."""
    switch = {"armed": True}

    def rows(content: bytes) -> Sequence[ImportRow]:
        return [
            ImportRow(line=number, item=text)
            for number, text in enumerate(content.decode().splitlines(), start=1)
        ]

    def process(actor: User | None, batch: Sequence[ImportRow]) -> BatchOutcome:
        errors: list[tuple[int, str]] = []
        for row in batch:
            if row.item == "boom" and switch["armed"]:
                raise Interrupt(f"line {row.line}")
            if row.item == "bad":
                errors.append((row.line, "not a good line"))
                continue
            audit_record(actor=actor, action=f"line.{row.item}", instance=team)
        return BatchOutcome(counts={"lines": len(batch) - len(errors)}, errors=errors)

    import_kind_register(
        ImportKind(
            name=TEST_KIND,
            label="Lines",
            rows=rows,
            process=process,
            may_view=lambda user: True,
            batch_size=3,
        )
    )
    return switch


@pytest.mark.django_db
def test_an_import_runs_batch_by_batch_and_reports_its_progress(
    supervisor: User,
    settings: Settings,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    settings.AMIABLE_IMPORT_BATCH_ROWS = 3
    with django_capture_on_commit_callbacks(execute=False) as enqueued:
        job = import_job_create(
            actor=supervisor,
            kind=TRACKING_IMPORT,
            content=tracking_csv(7),
            source_name="dpd.csv",
        )
    seen: list[tuple[str, int]] = []

    done = import_job_run(
        job_id=job.pk, progress=lambda job: seen.append((job.state, job.rows_done))
    )

    assert len(enqueued) == 1  # the task that runs the job in the background
    assert (job.state, job.rows_total, job.batch_size) == ("queued", 7, 3)
    assert seen == [("running", 3), ("running", 6), ("succeeded", 7)]
    assert done.counts == {"recorded": 0, "duplicate": 0, "quarantined": 7}
    assert done.finished_at is not None
    assert QuarantinedTrackingEvent.objects.count() == 7
    assert list(
        AuditEvent.objects.filter(action__startswith="import_job.").values_list(
            "action", flat=True
        )
    ) == ["import_job.finish", "import_job.create"]


@pytest.mark.django_db
def test_an_interrupted_batch_rolls_back_and_the_job_resumes_after_the_last_one(
    supervisor: User, line_kind: dict[str, bool]
) -> None:
    content = b"a\nb\nc\nd\nboom\nf\ng\n"
    job = import_job_create(
        actor=supervisor, kind=TEST_KIND, content=content, source_name="l.txt"
    )

    with pytest.raises(Interrupt):
        import_job_run(job_id=job.pk)
    cut_short = ImportJob.objects.get(pk=job.pk)
    lines_then = AuditEvent.objects.filter(action__startswith="line.").count()
    line_kind["armed"] = False
    resumed = import_job_run(job_id=job.pk)
    again = import_job_run(job_id=job.pk)

    assert (cut_short.state, cut_short.rows_done) == (ImportState.RUNNING, 3)
    assert lines_then == 3
    assert (resumed.state, resumed.rows_done) == (ImportState.SUCCEEDED, 7)
    assert resumed.counts == {"lines": 7}
    assert sorted(
        AuditEvent.objects.filter(action__startswith="line.").values_list(
            "action", flat=True
        )
    ) == ["line.a", "line.b", "line.boom", "line.c", "line.d", "line.f", "line.g"]
    assert again.rows_done == 7


@pytest.mark.django_db
def test_refused_rows_are_counted_and_kept_with_their_line(
    supervisor: User, line_kind: dict[str, bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("amiable.jobs.services.imports.ERRORS_KEPT", 2)
    job = import_job_create(
        actor=supervisor,
        kind=TEST_KIND,
        content=b"a\nbad\nb\nbad\nbad\n",
        source_name="l",
    )

    done = import_job_run(job_id=job.pk)

    assert done.counts == {"lines": 2}
    assert done.error_count == 3
    assert done.row_errors == [
        {"line": 2, "message": "not a good line"},
        {"line": 4, "message": "not a good line"},
    ]
