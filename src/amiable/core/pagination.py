"""Keyset (cursor) pagination: pages cost the same at row 10 and at row 1,000,000.

A cursor is an opaque, URL-safe token holding the sort values of the last row seen.
The queryset must be ordered by the given fields, ending with a unique one (``id``).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from amiable.core.errors import ApplicationError, ValidationError

ModelT = TypeVar("ModelT", bound=models.Model)


@dataclass(frozen=True)
class Page(Generic[ModelT]):
    items: list[ModelT]
    next_cursor: str | None
    previous_cursor: str | None
    has_more: bool


def _encode_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"t": "dt", "v": value.isoformat()}
    if isinstance(value, dt.date):
        return {"t": "d", "v": value.isoformat()}
    if isinstance(value, Decimal):
        return {"t": "dec", "v": str(value)}
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict):
        kind, raw = value.get("t"), str(value.get("v"))
        if kind == "dt":
            return dt.datetime.fromisoformat(raw)
        if kind == "d":
            return dt.date.fromisoformat(raw)
        if kind == "dec":
            return Decimal(raw)
        raise ValueError("unknown cursor value")
    return value


def encode_cursor(values: Sequence[Any], *, backwards: bool = False) -> str:
    payload = {"v": [_encode_value(value) for value in values], "b": backwards}
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, *, width: int) -> tuple[list[Any], bool]:
    """Return (values, backwards); raise ValidationError for a tampered cursor."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
        values = [_decode_value(value) for value in payload["v"]]
        backwards = bool(payload.get("b", False))
    except (ValueError, KeyError, TypeError, ArithmeticError) as exc:
        raise _invalid_cursor() from exc
    if len(values) != width:
        raise ValidationError(
            _("The cursor does not match this sort order."),
            fields={"cursor": [_("Invalid cursor.")]},
        )
    return values, backwards


def _invalid_cursor() -> ValidationError:
    return ValidationError(
        _("The cursor is not valid."), fields={"cursor": [_("Invalid cursor.")]}
    )


def _checked(
    model: type[models.Model], ordering: Sequence[str], values: Sequence[Any]
) -> list[Any]:
    """Each cursor value converted by its column; ValidationError when tampered."""
    checked = []
    try:
        for spec, value in zip(ordering, values, strict=True):
            if value is None or isinstance(value, list | dict):
                raise TypeError("not a scalar")
            field = model._meta.get_field(spec.lstrip("-"))
            converted = field.to_python(value)  # type: ignore[union-attr]
            field.run_validators(converted)  # type: ignore[union-attr]
            checked.append(converted)
    except (DjangoValidationError, ValueError, TypeError) as exc:
        raise _invalid_cursor() from exc
    return checked


def _after(ordering: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows strictly after ``values`` in ``ordering`` (each '-field' descending)."""
    condition = Q()
    for index, spec in enumerate(ordering):
        name = spec.lstrip("-")
        descending = spec.startswith("-")
        lookup = f"{name}__lt" if descending else f"{name}__gt"
        step = Q(**{lookup: values[index]})
        for previous_index in range(index):
            previous = ordering[previous_index].lstrip("-")
            step &= Q(**{previous: values[previous_index]})
        condition |= step
    return condition


def _reverse(ordering: Sequence[str]) -> list[str]:
    return [spec[1:] if spec.startswith("-") else f"-{spec}" for spec in ordering]


def _values(item: models.Model, ordering: Sequence[str]) -> list[Any]:
    values = []
    for spec in ordering:
        name = spec.lstrip("-")
        field = item._meta.get_field(name)
        values.append(getattr(item, getattr(field, "attname", name)))
    return values


def paginate(
    queryset: models.QuerySet[ModelT],
    *,
    ordering: Sequence[str],
    limit: int,
    cursor: str | None = None,
) -> Page[ModelT]:
    """Return one page of ``queryset`` in ``ordering`` after (or before) ``cursor``.

    Sort fields must not be NULL (use a non-null column or coalesce it in the model).
    """
    if limit < 1:
        raise ValidationError(
            _("The page size must be at least 1."),
            fields={"limit": [_("At least 1.")]},
        )
    backwards = False
    if cursor:
        values, backwards = decode_cursor(cursor, width=len(ordering))
        values = _checked(queryset.model, ordering, values)
        effective = _reverse(ordering) if backwards else list(ordering)
        try:
            # Lookups convert the values now: a value of the wrong type for its
            # column (a hand-made cursor) fails here, not as a server error later.
            queryset = queryset.filter(_after(effective, values))
        except (ValueError, TypeError, ArithmeticError, DjangoValidationError) as exc:
            raise _invalid_cursor() from exc
    else:
        effective = list(ordering)
    rows = list(queryset.order_by(*effective)[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    if backwards:
        rows.reverse()
    next_cursor = previous_cursor = None
    if rows:
        if has_more or backwards:
            next_cursor = encode_cursor(_values(rows[-1], ordering))
        if cursor and (not backwards or has_more):
            previous_cursor = encode_cursor(_values(rows[0], ordering), backwards=True)
    return Page(
        items=rows,
        next_cursor=next_cursor,
        previous_cursor=previous_cursor,
        has_more=has_more if not backwards else True,
    )


def paginate_or_first(
    queryset: models.QuerySet[ModelT],
    *,
    ordering: Sequence[str],
    limit: int,
    cursor: str | None = None,
) -> tuple[Page[ModelT], str]:
    """One keyset page for a web page: a tampered cursor falls back to the first
    page, with the error's message to show (else an empty message)."""
    try:
        return paginate(queryset, ordering=ordering, limit=limit, cursor=cursor), ""
    except ApplicationError as exc:
        return paginate(queryset, ordering=ordering, limit=limit), exc.message
