"""API schemas of customers, identities, addresses, consents, facts and merges."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from amiable.api.schemas import Id, InSchema, ListQuery, PatchSchema
from amiable.customers.models import (
    ConsentPurpose,
    CustomerKind,
    FactCategory,
    IdentityKind,
)

Language = Literal["fr", "en"]
TagName = Annotated[str, Field(min_length=1, max_length=60)]


class IdentityIn(InSchema):
    kind: IdentityKind
    value: str = Field(min_length=1, max_length=254)
    platform: str = Field("", max_length=40)
    is_primary: bool = False


class IdentityOut(Schema):
    id: int
    kind: str
    value: str
    normalized: str
    platform: str
    is_primary: bool
    is_verified: bool
    created_at: dt.datetime


class CustomerCreateIn(InSchema):
    name: str = Field(min_length=1, max_length=200)
    kind: CustomerKind = CustomerKind.PERSON
    company_name: str = Field("", max_length=200)
    preferred_language: Language = "fr"
    customer_since: dt.date | None = None
    tags: list[TagName] = Field(default_factory=list, max_length=50)
    notes: str = Field("", max_length=10_000)
    identities: list[IdentityIn] = Field(default_factory=list, max_length=20)


class CustomerUpdateIn(PatchSchema):
    """Only the fields sent are changed."""

    nullable_fields = frozenset({"customer_since"})
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: CustomerKind | None = None
    company_name: str | None = Field(None, max_length=200)
    preferred_language: Language | None = None
    customer_since: dt.date | None = None
    tags: list[TagName] | None = Field(None, max_length=50)
    notes: str | None = Field(None, max_length=10_000)


class CustomerOut(Schema):
    id: int
    kind: str
    name: str
    company_name: str
    preferred_language: str
    customer_since: dt.date | None
    status: str
    merged_into_id: int | None
    tags: list[str]
    notes: str
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_tags(obj: object) -> list[str]:
        tags = getattr(obj, "tags", None)
        if tags is None or isinstance(tags, list):
            return list(tags or [])
        return [tag.name for tag in tags.all()]


class CustomerListQuery(ListQuery):
    q: str = Field("", max_length=200)
    kind: CustomerKind | None = None
    tag: str = Field("", max_length=60)
    include_merged: bool = False
    sort: Literal["name", "-name", "created_at", "-created_at"] = "name"


class AddressIn(InSchema):
    label: str = Field("", max_length=60)
    line1: str = Field(min_length=1, max_length=200)
    line2: str = Field("", max_length=200)
    postal_code: str = Field(min_length=1, max_length=20)
    city: str = Field(min_length=1, max_length=120)
    country: str = Field("FR", min_length=2, max_length=2)
    is_default: bool = False


class AddressOut(Schema):
    id: int
    label: str
    line1: str
    line2: str
    postal_code: str
    city: str
    country: str
    is_default: bool


class ConsentIn(InSchema):
    purpose: ConsentPurpose
    is_granted: bool
    source: str = Field(min_length=1, max_length=120)
    note: str = Field("", max_length=255)
    recorded_at: dt.datetime | None = None


class ConsentOut(Schema):
    id: int
    purpose: str
    is_granted: bool
    recorded_at: dt.datetime
    source: str
    recorded_by_id: int | None
    note: str


class PersonalFactIn(InSchema):
    category: FactCategory
    value: str = Field(min_length=1, max_length=255)
    purpose: str = Field(min_length=1, max_length=255)
    source: str = Field(min_length=1, max_length=120)
    noted_on: dt.date | None = None


class PersonalFactOut(Schema):
    id: int
    category: str
    value: str
    purpose: str
    source: str
    noted_on: dt.date


class MergeIn(InSchema):
    source_id: Id
    target_id: Id


class MergeOut(Schema):
    id: int
    source_id: int
    target_id: int
    merged_at: dt.datetime
    merged_by_id: int | None
    undone_at: dt.datetime | None
    moved_counts: dict[str, int] = Field(default_factory=dict)

    @staticmethod
    def resolve_moved_counts(obj: object) -> dict[str, int]:
        moved = getattr(obj, "moved", {}) or {}
        return {
            label: sum(len(ids) for ids in fields.values())
            for label, fields in moved.items()
            if "." in label  # model labels; other keys are bookkeeping
        }
