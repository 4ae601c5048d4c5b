"""Shared API schema pieces: strict input base, error body, ids, money, pages."""

from __future__ import annotations

import datetime as dt
import re
import types
from decimal import Decimal
from functools import cache
from typing import (
    Annotated,
    Any,
    ClassVar,
    Generic,
    TypeVar,
    Union,
    get_args,
    get_origin,
)

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    FutureDatetime,
    NaiveDatetime,
    PastDatetime,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

from amiable.core.money import CURRENCY_DECIMAL_PLACES, CURRENCY_MAX_DIGITS

# Ids and counters are bounded so that no input can overflow a database column.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Version = Annotated[int, Field(ge=1, le=2**31 - 1)]
_AMOUNT_INTEGER_DIGITS = CURRENCY_MAX_DIGITS - CURRENCY_DECIMAL_PLACES
Amount = Annotated[
    Decimal,
    Field(
        ge=0,
        max_digits=CURRENCY_MAX_DIGITS,
        decimal_places=CURRENCY_DECIMAL_PLACES,
        allow_inf_nan=False,
    ),
    # Documented as what is accepted: a decimal string (the form to send) or a number.
    WithJsonSchema(
        {
            "anyOf": [
                {
                    "type": "string",
                    "pattern": (
                        rf"^[0-9]{{1,{_AMOUNT_INTEGER_DIGITS}}}"
                        rf"(\.[0-9]{{1,{CURRENCY_DECIMAL_PLACES}}})?$"
                    ),
                },
                {
                    "type": "number",
                    "minimum": 0,
                    "maximum": 10**_AMOUNT_INTEGER_DIGITS - 1,
                },
            ],
            "examples": ["19.90"],
        },
        mode="validation",
    ),
]


def _wall_clock(value: dt.time) -> dt.time:
    if value.tzinfo is not None:
        raise ValueError(_("A local time of day, without a UTC offset."))
    return value


# A local wall-clock time of day ("09:00" or "09:00:00"). JSON Schema's "time" format
# requires a UTC offset, so it is documented by a pattern instead.
LocalTime = Annotated[
    dt.time,
    AfterValidator(_wall_clock),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
            "examples": ["09:00"],
        }
    ),
]
Currency = Annotated[str, Field(min_length=3, max_length=3, pattern=r"^[A-Za-z]{3}$")]


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple | set):
        return any(_has_nul(item) for item in value)
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    return False


_NUMERIC = re.compile(r"^\s*[-+]?[0-9]+(\.[0-9]*)?\s*$")
_TEMPORAL = (dt.date, dt.datetime, dt.time)
# pydantic's constrained datetimes are marker classes, not datetime subclasses.
_PYDANTIC_TEMPORAL: frozenset[Any] = frozenset(
    {AwareDatetime, NaiveDatetime, FutureDatetime, PastDatetime}
)


@cache
def _is_temporal(leaf: Any) -> bool:
    """Cached: the membership test compares ``leaf`` with pydantic's marker
    classes, which costs about 0.4 ms a call (a few per request)."""
    return leaf in _PYDANTIC_TEMPORAL or (
        isinstance(leaf, type) and issubclass(leaf, _TEMPORAL)
    )


@cache
def _leaf_types(annotation: Any) -> frozenset[Any]:
    """The types a field annotation accepts, unions and ``Annotated`` unwrapped."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _leaf_types(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return frozenset().union(*(_leaf_types(arg) for arg in get_args(annotation)))
    return frozenset({annotation})


def refuse_loose_value(annotation: Any, value: Any) -> None:
    """Raise ValueError where pydantic's lax mode would coerce a wrong JSON type.

    Lax mode reads ``0`` or ``"0"`` as the date 1970-01-01, ``0``, ``"yes"`` or
    ``"on"`` as booleans and ``false`` as the integer 0; the OpenAPI document
    promises ISO 8601 strings, integers and ``true``/``false`` (query strings and
    form fields spell them "true"/"false").
    """
    if value is None:
        return
    leaves = _leaf_types(annotation) - {type(None)}
    if not leaves:
        return
    if leaves <= {bool}:
        if not isinstance(value, bool) and value not in ("true", "false"):
            raise ValueError(_("Expected true or false."))
        return
    if leaves <= {int} and isinstance(value, bool):
        raise ValueError(_("Expected an integer."))
    temporal = all(_is_temporal(leaf) for leaf in leaves)
    numeric = isinstance(value, bool | int | float) or (
        isinstance(value, str) and _NUMERIC.match(value) is not None
    )
    if temporal and numeric:
        raise ValueError(_("Expected an ISO 8601 date or time string."))


class NulFreeSchema(Schema):
    """Refuses NUL bytes in any field (PostgreSQL cannot store them in text), and the
    values of the wrong JSON type that pydantic's lax mode would coerce."""

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_loose(cls, value: Any, info: ValidationInfo) -> Any:
        if info.field_name is not None:
            refuse_loose_value(cls.model_fields[info.field_name].annotation, value)
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_nul(cls, value: Any) -> Any:
        if _has_nul(value):
            raise ValueError(_("NUL characters are not allowed."))
        return value


class QuerySchema(NulFreeSchema):
    """Base of query-parameter schemas."""


class InSchema(NulFreeSchema):
    """Base of every request body: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


def _document_nulls(schema: dict[str, Any], model: type[Any]) -> None:
    """Drop ``null`` from the documented types of the fields that refuse it."""
    nullable: frozenset[str] = getattr(model, "nullable_fields", frozenset())
    for name, prop in schema.get("properties", {}).items():
        variants = prop.get("anyOf")
        if name in nullable or not variants:
            continue
        kept = [variant for variant in variants if variant != {"type": "null"}]
        if len(kept) == len(variants):
            continue
        del prop["anyOf"]
        if len(kept) == 1:
            prop.update(kept[0])
        else:
            prop["anyOf"] = kept
        if prop.get("default", ...) is None:
            del prop["default"]


class PatchSchema(InSchema):
    """Base of PATCH bodies: omitted fields stay; ``null`` only where it means none."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_document_nulls)
    nullable_fields: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.nullable_fields:
            raise ValueError(_("This field cannot be null; omit it instead."))
        return value


class ErrorOut(Schema):
    """Every error the API returns has this shape."""

    code: str
    message: str
    fields: dict[str, list[str]] = Field(default_factory=dict)


# The error statuses every endpoint documents in the OpenAPI document.
ERROR_RESPONSES: dict[int, type[ErrorOut]] = dict.fromkeys(
    (400, 401, 403, 404, 409, 422), ErrorOut
)

ItemT = TypeVar("ItemT")


class PageOut(BaseModel, Generic[ItemT]):
    """One page of a keyset-paginated list; pass ``next_cursor`` back as ``cursor``."""

    items: list[ItemT]
    next_cursor: str | None = None
    previous_cursor: str | None = None


class ListQuery(QuerySchema):
    """Paging parameters shared by every list endpoint."""

    limit: int = Field(
        settings.API_PAGE_SIZE_DEFAULT, ge=1, le=settings.API_PAGE_SIZE_MAX
    )
    cursor: str | None = Field(None, max_length=2000)
