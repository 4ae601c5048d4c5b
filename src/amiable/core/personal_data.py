"""Personal data of a customer, for apps below the one that exports and erases it.

Every app that stores something about a customer registers a section in its
``AppConfig.ready``::

    personal_data_register(PersonalDataSection(
        name="cases",                 # the file names of the export: cases.json…
        export=cases_personal_export,  # (DataSubject) -> ExportPart
        erase=cases_personal_erase,    # (DataSubject) -> ErasureOutcome
        order=30,
    ))

``amiable.privacy`` (above every such app) builds the subject access export from the
exporters and erases a person by calling every eraser, each in its own transaction.
An eraser is idempotent (a second run finds nothing left to change), replaces what
names the person by ``TOMBSTONE`` (``scrub``) or deletes it, and reports what it had
to keep and why (``KeptRecord``: invoices, dispute records…).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import phonenumbers

TOMBSTONE = "[erased]"


@dataclass(frozen=True)
class DataSubject:
    """A person: the customer rows (the customer and those merged into it) and every
    string that names them (names, e-mails, phones, address lines)."""

    customer_ids: tuple[int, ...]
    secrets: tuple[str, ...]
    phones: tuple[str, ...] = ()  # E.164 numbers, matched in any written format
    # Parts of the names (« Hélène », « Dupré »): scrubbed from the person's own rows
    # only, where a first name alone still names them.
    words: tuple[str, ...] = ()

    def scrub(self, value: Any) -> Any:
        """``value`` without the person's full names, e-mails, phones, addresses:
        for rows that may be about someone else too (audit lines, events)."""
        return scrub(value, self.secrets, self.phones)

    def scrub_own(self, value: Any) -> Any:
        """``value`` without anything naming the person, first names included: for
        the person's own rows (their cases, promises, gestures)."""
        return scrub(value, self.secrets + self.words, self.phones)

    def mentions(self, text: str) -> bool:
        return bool(text) and scrub(text, self.secrets, self.phones) != text


@dataclass
class ExportPart:
    """One section of the export: rows by table and stored files to add.

    ``files`` are (name in the zip, storage name) pairs."""

    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    files: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class KeptRecord:
    """Rows an erasure kept (anonymised) because the law obliges it."""

    table: str
    count: int
    reason: str  # an English message id, translated when shown (gettext_noop)


@dataclass
class ErasureOutcome:
    changed: dict[str, int] = field(default_factory=dict)  # table -> rows changed
    kept: list[KeptRecord] = field(default_factory=list)


@dataclass(frozen=True)
class PersonalDataSection:
    name: str
    export: Callable[[DataSubject], ExportPart]
    erase: Callable[[DataSubject], ErasureOutcome]
    order: int = 100


_SECTIONS: dict[str, PersonalDataSection] = {}


def personal_data_register(section: PersonalDataSection) -> None:
    """Add (or replace, by name) a section."""
    _SECTIONS[section.name] = section


def personal_data_unregister(name: str) -> None:
    _SECTIONS.pop(name, None)


def personal_data_sections() -> list[PersonalDataSection]:
    """Every section, by order then name."""
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.name))


def phone_pattern(e164: str) -> str | None:
    """A regular expression matching ``e164`` as people write it: +33 6 12 34 56 78,
    0033612345678, 06.12.34.56.78, 06-12-34-56-78, (06) 12 34 56 78…"""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return None
    national = phonenumbers.national_significant_number(number)
    if len(national) < 6:
        return None
    gap = r"[\s.\-()/]{0,3}"
    digits = gap.join(re.escape(digit) for digit in national)
    prefix = rf"(?:(?:\+|00){number.country_code}{gap}(?:\(0\){gap})?|0{gap})?"
    return rf"(?<!\d){prefix}{digits}(?!\d)"


def _pattern(secrets: Iterable[str], phones: Iterable[str]) -> re.Pattern[str] | None:
    unique = {secret.strip() for secret in secrets if len(secret.strip()) >= 3}
    # Longest first, so « Hélène Dupré » goes whole before « Hélène » is looked for;
    # a word is matched whole, never inside another one.
    parts = [
        rf"(?<!\w){re.escape(secret)}(?!\w)"
        for secret in sorted(unique, key=len, reverse=True)
    ]
    parts += [pattern for pattern in map(phone_pattern, phones) if pattern]
    if not parts:
        return None
    return re.compile("|".join(parts), re.IGNORECASE)


def scrub(value: Any, secrets: Iterable[str], phones: Iterable[str] = ()) -> Any:
    """``value`` (text, or JSON-like lists and dicts of it) with every occurrence of a
    secret or phone number replaced by ``TOMBSTONE``; other values as they are."""
    pattern = _pattern(secrets, phones)
    if pattern is None:
        return value
    return _scrub(value, pattern)


def _scrub(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return pattern.sub(TOMBSTONE, value)
    if isinstance(value, list):
        return [_scrub(item, pattern) for item in value]
    if isinstance(value, dict):
        return {
            _scrub(key, pattern): _scrub(item, pattern) for key, item in value.items()
        }
    return value


def rows_of(queryset: Any, fields: Iterable[str]) -> list[dict[str, Any]]:
    """The rows of ``queryset`` as JSON-ready dicts of ``fields``."""
    return [
        {key: _jsonable(item) for key, item in row.items()}
        for row in queryset.values(*fields)
    ]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    return value


def scrub_rows(
    queryset: Any, fields: Iterable[str], subject: DataSubject, *, own: bool = True
) -> int:
    """Scrub ``fields`` (text or JSON) of every row of ``queryset``; the rows changed.

    ``own``: the rows are the person's (first names go too). Rows are written with
    ``update`` (no signals, no version bump): nothing but the text changes."""
    names = tuple(fields)
    clean = subject.scrub_own if own else subject.scrub
    changed = 0
    for row in queryset.values("pk", *names).iterator(chunk_size=500):
        values = {name: clean(row[name]) for name in names}
        updates = {name: value for name, value in values.items() if value != row[name]}
        if updates:
            queryset.model._default_manager.filter(pk=row["pk"]).update(**updates)
            changed += 1
    return changed


def scrub_mentions(queryset: Any, fields: Iterable[str], subject: DataSubject) -> int:
    """Scrub ``fields`` of the rows of ``queryset`` that mention one of the person's
    full names, e-mails, phones or addresses (rows about others too: audit lines,
    events); the rows changed. The rows are found by the database (text contains
    the value, or its JSON escape: ``H\\u00e9l\\u00e8ne``), then scrubbed here."""
    import json

    from django.db.models import Q, TextField
    from django.db.models.functions import Cast

    names = tuple(fields)
    needles = {secret for secret in subject.secrets if len(secret.strip()) >= 3}
    needles |= {json.dumps(secret)[1:-1] for secret in needles}
    if not needles or not names:
        return 0
    annotated = queryset.annotate(
        **{f"_text_{name}": Cast(name, output_field=TextField()) for name in names}
    )
    condition = Q()
    for needle in needles:
        for name in names:
            condition |= Q(**{f"_text_{name}__icontains": needle})
    matching = queryset.filter(pk__in=annotated.filter(condition).values("pk"))
    return scrub_rows(matching, names, subject, own=False)
