"""Shared API schema pieces: strict input base, error body, ids, money, pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, ClassVar, Generic, TypeVar

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from amiable.core.money import CURRENCY_DECIMAL_PLACES, CURRENCY_MAX_DIGITS

# Ids and counters are bounded so that no input can overflow a database column.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Version = Annotated[int, Field(ge=1, le=2**31 - 1)]
Amount = Annotated[
    Decimal,
    Field(
        ge=0,
        max_digits=CURRENCY_MAX_DIGITS,
        decimal_places=CURRENCY_DECIMAL_PLACES,
        allow_inf_nan=False,
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


class NulFreeSchema(Schema):
    """Refuses NUL bytes in any field (PostgreSQL cannot store them in text)."""

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_nul(cls, value: Any) -> Any:
        if _has_nul(value):
            raise ValueError(_("NUL characters are not allowed."))
        return value


class InSchema(NulFreeSchema):
    """Base of every request body: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class PatchSchema(InSchema):
    """Base of PATCH bodies: omitted fields stay; ``null`` only where it means none."""

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


class ListQuery(NulFreeSchema):
    """Paging parameters shared by every list endpoint."""

    limit: int = Field(
        settings.API_PAGE_SIZE_DEFAULT, ge=1, le=settings.API_PAGE_SIZE_MAX
    )
    cursor: str | None = Field(None, max_length=2000)
