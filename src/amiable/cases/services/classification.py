"""Tags and custom fields of cases: administrators define the fields; agents,
macros, bulk actions and the API set tags and values through ``case_classify``.

A value is checked against its field's type and stored in a canonical text form
(numbers ``12.5``, dates ``2026-12-07``, a choice exactly as defined), so the inbox
filter compares like with like. Errors name the field: ``tags`` or
``custom_fields.<key>``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.accounts.permissions import can_manage_catalog
from amiable.audit.services import audit_record
from amiable.cases.custom_values import field_error_key, field_value_clean
from amiable.cases.models import (
    Case,
    CaseFieldValue,
    CaseTag,
    CustomField,
    CustomFieldKind,
)
from amiable.cases.models.classification import FIELD_VALUE_MAX
from amiable.cases.services.versioning import _lock, _write
from amiable.core.errors import (
    DuplicateError,
    PermissionDeniedError,
    ValidationError,
)
from amiable.core.text import single_line
from amiable.customers.models import Tag

TAG_MAX_LENGTH = 60
TAGS_PER_CASE = 30
CHOICES_MAX = 50
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def tag_names_clean(names: Iterable[str], *, field: str = "tags") -> list[str]:
    """The names trimmed, blanks dropped, duplicates removed (order kept).
    Raises ValidationError for a name longer than 60 characters."""
    cleaned = [single_line(str(name)) for name in names]
    too_long = [name for name in cleaned if len(name) > TAG_MAX_LENGTH]
    if too_long:
        raise ValidationError(
            _("A tag is at most %(max)d characters.") % {"max": TAG_MAX_LENGTH},
            fields={field: [_("Too long: %(name)s") % {"name": too_long[0][:70]}]},
        )
    return list(dict.fromkeys(name for name in cleaned if name))


def _definitions(keys: Iterable[str]) -> dict[str, CustomField]:
    wanted = set(keys)
    found = {
        field.key: field
        for field in CustomField.objects.filter(key__in=wanted, is_active=True)
    }
    unknown = sorted(wanted - set(found))
    if unknown:
        raise ValidationError(
            _("No such custom field."),
            fields={
                field_error_key(key): [_("Unknown or inactive field.")]
                for key in unknown
            },
        )
    return found


def case_classification(case: Case) -> dict[str, Any]:
    """The case's tags and custom field values, as stored (for audit and answers)."""
    return {
        "tags": sorted(case.tags.values_list("name", flat=True)),
        "custom_fields": dict(
            case.field_values.order_by("field__key").values_list("field__key", "value")
        ),
    }


def classification_write(
    *,
    actor: User | None,
    case: Case,
    tags: Iterable[str] | None = None,
    add_tags: Iterable[str] = (),
    remove_tags: Iterable[str] = (),
    fields: Mapping[str, object] | None = None,
) -> bool:
    """Write tags and values (no version, no audit: the callers' job); True when
    anything changed. Raises ValidationError naming the field."""
    values = {
        definition: field_value_clean(definition, (fields or {})[key])
        for key, definition in _definitions((fields or {}).keys()).items()
    }
    current = dict(case.tags.values_list("name", "pk"))
    wanted = set(current)
    if tags is not None:
        wanted = set(tag_names_clean(tags))
    wanted |= set(tag_names_clean(add_tags, field="add_tags"))
    wanted -= set(tag_names_clean(remove_tags, field="remove_tags"))
    if len(wanted) > TAGS_PER_CASE:
        raise ValidationError(
            _("At most %(max)d tags on a case.") % {"max": TAGS_PER_CASE},
            fields={"tags": [_("Too many tags.")]},
        )
    changed = False
    removed = [current[name] for name in set(current) - wanted]
    if removed:
        CaseTag.objects.filter(case=case, tag_id__in=removed).delete()
        changed = True
    added = sorted(wanted - set(current))
    if added:
        for name in added:
            Tag.objects.get_or_create(name=name)
        tag_ids = Tag.objects.filter(name__in=added).values_list("pk", flat=True)
        CaseTag.objects.bulk_create(
            [CaseTag(case=case, tag_id=pk, added_by=actor) for pk in tag_ids]
        )
        changed = True
    stored = {row.field_id: row for row in CaseFieldValue.objects.filter(case=case)}
    for definition, value in values.items():
        row = stored.get(definition.pk)
        if not value and row is not None:
            row.delete()
            changed = True
        elif value and row is None:
            CaseFieldValue.objects.create(case=case, field=definition, value=value)
            changed = True
        elif value and row is not None and row.value != value:
            CaseFieldValue.objects.filter(pk=row.pk).update(value=value)
            changed = True
    return changed


@transaction.atomic
def case_classify(
    *,
    actor: User,
    case: Case,
    expected_version: int | None,
    tags: Iterable[str] | None = None,
    add_tags: Iterable[str] = (),
    remove_tags: Iterable[str] = (),
    fields: Mapping[str, object] | None = None,
) -> Case:
    """Set the case's tags (``tags`` replaces them all; ``add_tags`` and
    ``remove_tags`` change some) and custom field values (``fields``: key to
    value, empty clears). A change bumps the version and is audited with the tags
    and values before and after; nothing to change writes nothing.

    Raises ValidationError naming ``tags`` or ``custom_fields.<key>`` (unknown or
    inactive field, a value of the wrong type), CaseVersionConflictError."""
    case = _lock(case, expected_version=expected_version)
    before = case_classification(case)
    changed = classification_write(
        actor=actor,
        case=case,
        tags=tags,
        add_tags=add_tags,
        remove_tags=remove_tags,
        fields=fields,
    )
    if not changed:
        return case
    case = _write(case, expected_version=expected_version, changes={}, actor=actor)
    audit_record(
        actor=actor,
        action="case.classify",
        instance=case,
        before=before,
        after=case_classification(case),
    )
    return case


def _choices_clean(kind: str, choices: Iterable[str]) -> list[str]:
    cleaned = list(
        dict.fromkeys(single_line(str(item)) for item in choices if str(item).strip())
    )
    if kind != CustomFieldKind.CHOICE:
        return []
    if not cleaned:
        raise ValidationError(
            _("A choice field needs its choices."),
            fields={"choices": [_("List at least one choice.")]},
        )
    if len(cleaned) > CHOICES_MAX or any(
        len(choice) > FIELD_VALUE_MAX for choice in cleaned
    ):
        raise ValidationError(
            _("Too many or too long choices."),
            fields={
                "choices": [
                    _("At most %(max)d choices of 200 characters.")
                    % {"max": CHOICES_MAX}
                ]
            },
        )
    return cleaned


FIELD_AUDITED = (
    "key",
    "label_fr",
    "label_en",
    "kind",
    "choices",
    "position",
    "is_active",
)


@transaction.atomic
def custom_field_save(
    *,
    actor: User,
    field: CustomField | None = None,
    key: str,
    label_fr: str,
    label_en: str,
    kind: str,
    choices: Iterable[str] = (),
    position: int = 100,
    is_active: bool = True,
) -> CustomField:
    """Define a custom field of cases, or change one (its key and type are fixed
    once values may exist). Administrators only; audited.

    Raises PermissionDeniedError, ValidationError, DuplicateError (key taken)."""
    if not can_manage_catalog(actor):
        raise PermissionDeniedError(_("Only administrators define custom fields."))
    key = key.strip().lower()
    errors: dict[str, list[str]] = {}
    if not KEY_PATTERN.match(key):
        errors["key"] = [
            _("Lowercase letters, digits and _, starting with a letter (40 at most).")
        ]
    if kind not in CustomFieldKind.values:
        errors["kind"] = [_("Unknown type.")]
    for name, label in (("label_fr", label_fr), ("label_en", label_en)):
        if not single_line(label):
            errors[name] = [_("Required.")]
    if field is not None and (key != field.key or kind != field.kind):
        errors["kind" if kind != field.kind else "key"] = [
            _("The key and the type of a field cannot change.")
        ]
    if errors:
        raise ValidationError(_("The custom field is not valid."), fields=errors)
    cleaned = _choices_clean(kind, choices)
    taken = CustomField.objects.filter(key=key)
    if field is not None:
        taken = taken.exclude(pk=field.pk)
    if taken.exists():
        raise DuplicateError(
            _("A custom field with this key exists."),
            fields={"key": [_("Choose another key.")]},
        )
    before = {name: getattr(field, name) for name in FIELD_AUDITED} if field else None
    instance = field or CustomField()
    instance.key = key
    instance.label_fr = single_line(label_fr)[:80]
    instance.label_en = single_line(label_en)[:80]
    instance.kind = kind
    instance.choices = cleaned
    instance.position = position
    instance.is_active = is_active
    instance.save()
    audit_record(
        actor=actor,
        action="custom_field.update" if field else "custom_field.create",
        instance=instance,
        before=before,
        after={name: getattr(instance, name) for name in FIELD_AUDITED},
    )
    return instance
