"""Reads of tags and custom fields: the definitions, the tags in use, and what a
case or a page of cases carries (prefetched: two queries for a whole page)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from amiable.accounts.models import User
from amiable.cases.models import Case, CaseFieldValue, CaseTag, CustomField
from amiable.core.config_cache import ConfigCache
from amiable.customers.models import Tag

TAGS_SUGGESTED = 200

# What a list of cases shows of their tags and values, in one query each.
CLASSIFICATION_PREFETCH = (
    Prefetch("tags", queryset=Tag.objects.order_by("name")),
    Prefetch(
        "field_values",
        queryset=CaseFieldValue.objects.select_related("field").order_by(
            "field__position", "field__key"
        ),
    ),
)


def classification_known_empty(case: Case) -> None:
    """Mark a case just opened without tags or custom field values as known to
    have none, so that serialising it reads nothing back (as a prefetch would)."""
    cache = case.__dict__.setdefault("_prefetched_objects_cache", {})
    known: list[tuple[str, QuerySet[Any]]] = [
        ("tags", Tag.objects.none()),
        ("field_values", CaseFieldValue.objects.none()),
    ]
    for name, empty in known:
        empty._result_cache = []
        empty._prefetch_done = True  # type: ignore[attr-defined]
        cache[name] = empty


@dataclass(frozen=True)
class FieldValue:
    field: CustomField
    value: str


def custom_field_list(
    *, actor: User | None, active_only: bool = True
) -> QuerySet[CustomField]:
    """The custom fields of cases: every staff member reads the definitions (no
    actor: a form or macro check reading them for whoever it serves)."""
    queryset = CustomField.objects.all()
    return queryset.filter(is_active=True) if active_only else queryset


def tag_list_in_use(*, actor: User) -> QuerySet[Tag]:
    """The tags some case carries, by name (an index probe per tag)."""
    return Tag.objects.filter(
        Exists(CaseTag.objects.filter(tag=OuterRef("pk")))
    ).order_by("name")


# Read on every case page: the definitions change a few times a year, the tags
# in use when a case gets a tag no case had (suggestions may lag ``ttl``).
ACTIVE_CUSTOM_FIELDS: ConfigCache[list[CustomField]] = ConfigCache(
    "cases.active_custom_fields",
    lambda: list(CustomField.objects.filter(is_active=True)),
    models=(CustomField,),
)
TAGS_IN_USE: ConfigCache[list[str]] = ConfigCache(
    "cases.tags_in_use",
    lambda: list(
        Tag.objects.filter(Exists(CaseTag.objects.filter(tag=OuterRef("pk"))))
        .order_by("name")
        .values_list("name", flat=True)[:TAGS_SUGGESTED]
    ),
    models=(Tag, CaseTag),
)


def custom_field_list_active(*, actor: User | None) -> list[CustomField]:
    """The active custom fields, shared by the process's requests: read them,
    never change them (``core.config_cache``)."""
    return ACTIVE_CUSTOM_FIELDS.get()


def tag_names_in_use(*, actor: User) -> list[str]:
    """The names of the first ``TAGS_SUGGESTED`` tags some case carries."""
    return TAGS_IN_USE.get()


def case_field_values(*, case: Case, fields: list[CustomField]) -> list[FieldValue]:
    """Each given field with the case's value ("" when it has none); no query
    when no field is defined."""
    if not fields:
        return []
    stored = {row.field_id: row.value for row in case.field_values.all()}
    return [FieldValue(field=field, value=stored.get(field.pk, "")) for field in fields]
