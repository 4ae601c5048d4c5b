"""Values of custom fields in their canonical text form, checked by type: a number
as ``12.5`` (``12,50`` and ``1 000`` accepted), a date as ``2026-12-07``, a choice
exactly as defined, a text on one line. Pure: the services store these values and
the inbox and API filters compare against them."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from amiable.cases.models import CustomField, CustomFieldKind
from amiable.cases.models.classification import FIELD_VALUE_MAX
from amiable.core.errors import ValidationError
from amiable.core.text import single_line

NUMBER_LIMIT = Decimal("1e15")


def field_error_key(key: str) -> str:
    return f"custom_fields.{key}"


def field_value_clean(field: CustomField, raw: object) -> str:
    """``raw`` in the canonical text form of ``field``'s type ("" clears).
    Raises ValidationError naming ``custom_fields.<key>``."""
    text = single_line(str(raw if raw is not None else ""))
    if not text:
        return ""
    error_key = field_error_key(field.key)
    if field.kind == CustomFieldKind.NUMBER:
        try:
            compact = re.sub(r"[\s\u202f]", "", text).replace(",", ".")
            number = Decimal(compact)
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite() or abs(number) >= NUMBER_LIMIT:
            raise ValidationError(
                _("“%(label)s” takes a number.") % {"label": field.label_en},
                fields={error_key: [_("Enter a number, e.g. 12.5.")]},
            )
        canonical = format(number.normalize(), "f")
        return canonical[:FIELD_VALUE_MAX]
    if field.kind == CustomFieldKind.DATE:
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValidationError(
                _("“%(label)s” takes a date.") % {"label": field.label_en},
                fields={error_key: [_("Enter a date as YYYY-MM-DD.")]},
            ) from None
    if field.kind == CustomFieldKind.CHOICE:
        if text not in field.choices:
            raise ValidationError(
                _("“%(label)s” takes one of its choices.") % {"label": field.label_en},
                fields={error_key: [_("Choose one of the listed values.")]},
            )
        return text
    if len(text) > FIELD_VALUE_MAX:
        raise ValidationError(
            _("“%(label)s” is too long.") % {"label": field.label_en},
            fields={
                error_key: [_("At most %(max)d characters.") % {"max": FIELD_VALUE_MAX}]
            },
        )
    return text


def field_filter_value(field: CustomField | None, value: str) -> str:
    """What a filter on ``field`` compares with: ``value`` in canonical form, or as
    typed when it is not one (it then finds nothing)."""
    if field is None or not value.strip():
        return value.strip()
    try:
        return field_value_clean(field, value) or value.strip()
    except ValidationError:
        return value.strip()
