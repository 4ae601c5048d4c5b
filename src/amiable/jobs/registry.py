"""The kinds of import a job can run, registered by the app that owns the data.

The owning app (``commerce`` for carrier CSVs, later ``inbound`` for e-mail
archives) registers an ``ImportKind`` in its ``AppConfig.ready``; ``jobs`` stores the
upload, runs the batches and shows the progress without knowing the rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

if TYPE_CHECKING:
    from amiable.accounts.models import User


@dataclass(frozen=True)
class ImportRow:
    """One row of a source, with the line a person finds it on."""

    line: int
    item: Any


@dataclass(frozen=True)
class BatchOutcome:
    """What one batch did: counts to add up, and the rows it refused."""

    counts: dict[str, int] = field(default_factory=dict)
    errors: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class ImportKind:
    """How to read and process one kind of import.

    ``rows`` parses the stored source into rows in processing order; it must give
    the same rows every time (a resumed job skips the rows already done) and raise
    ``ValidationError`` for a source that cannot be imported. ``process`` runs one
    batch inside its transaction, as ``actor``. ``may_view`` says who may follow
    the job (and its errors).
    """

    name: str
    label: str | Promise
    rows: Callable[[bytes], Sequence[ImportRow]]
    process: Callable[[User | None, Sequence[ImportRow]], BatchOutcome]
    may_view: Callable[[User], bool]
    count_labels: dict[str, str | Promise] = field(default_factory=dict)
    batch_size: int | None = None  # None: the AMIABLE_IMPORT_BATCH_ROWS setting


_KINDS: dict[str, ImportKind] = {}


def import_kind_register(kind: ImportKind) -> None:
    """Make ``kind`` available to import jobs (call from ``AppConfig.ready``)."""
    _KINDS[kind.name] = kind


def import_kind_get(name: str) -> ImportKind | None:
    return _KINDS.get(name)
