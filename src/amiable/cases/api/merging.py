"""Merging cases into one, splitting messages off into a new case, and undoing
either: ``POST /api/v1/cases/{case_id}/merge``, ``/{case_id}/split`` and
``/merges/{case_merge_id}/undo``.

Refusals are JSON errors with stable codes: ``case_merge_refused`` (another
customer, a dispute, the case into itself, no message left), ``case_already_merged``,
``already_undone``, ``undo_expired`` (409); ``permission_denied`` (403: another
team's case); ``not_found`` (404: a case or merge the caller does not see);
``validation_error`` (422)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.responses import Status
from pydantic import Field

from amiable.api.auth import actor_of
from amiable.api.schemas import ErrorOut, Id, InSchema, Version
from amiable.cases import selectors, services
from amiable.cases.api.router import router
from amiable.cases.models import CaseMerge
from amiable.core.access import TEAM, access
from amiable.core.errors import NotFoundError

ERRORS: dict[int, type[ErrorOut]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


class CaseMergeIn(InSchema):
    case_ids: list[Id] = Field(
        min_length=1,
        max_length=services.MERGE_MAX_CASES,
        description="The cases to merge into this one (same customer).",
    )


class CaseSplitIn(InSchema):
    interaction_ids: list[Id] = Field(
        min_length=1, max_length=500, description="The messages to move."
    )
    subject: str = Field(min_length=1, max_length=255)
    version: Version | None = Field(
        None, description="The version you saw; a newer one answers 409."
    )


class CaseMergeOut(Schema):
    id: int
    kind: str
    target_id: int = Field(description="Merge: the case kept. Split: the new case.")
    origin_id: int | None = Field(description="Split: the case split.")
    case_ids: list[int] = Field(description="Merge: the cases merged and closed.")
    moved_counts: dict[str, int]
    performed_at: dt.datetime
    performed_by_id: int | None
    undo_until: dt.datetime
    undone_at: dt.datetime | None

    @staticmethod
    def resolve_case_ids(obj: CaseMerge) -> list[int]:
        return sorted(int(pk) for pk in obj.moved.get("sources", {}))

    @staticmethod
    def resolve_moved_counts(obj: CaseMerge) -> dict[str, int]:
        counts: dict[str, int] = {}
        rows = [item["rows"] for item in obj.moved.get("sources", {}).values()]
        for moved in [*rows, obj.moved.get("rows", {})]:
            for label, ids in moved.items():
                counts[label] = counts.get(label, 0) + len(ids)
        return counts

    @staticmethod
    def resolve_undo_until(obj: CaseMerge) -> dt.datetime:
        return services.undo_deadline(obj)


@router.post("/merges/{case_merge_id}/undo", response={200: CaseMergeOut, **ERRORS})
@access(TEAM)
def case_merge_undo_api(request: HttpRequest, case_merge_id: Id) -> CaseMerge:
    """Undo a merge or a split within the undo window: what moved goes back."""
    actor = actor_of(request)
    merge = selectors.case_merge_get(actor=actor, merge_id=case_merge_id)
    return services.case_merge_undo(actor=actor, merge=merge)


@router.post("/{case_id}/merge", response={201: CaseMergeOut, **ERRORS})
@access(TEAM)
def case_merge_api(
    request: HttpRequest, case_id: Id, payload: CaseMergeIn
) -> Status[CaseMerge]:
    """Merge ``case_ids`` into this case: they are closed, their messages,
    promises, gestures and costs move here; undoable."""
    actor = actor_of(request)
    target = selectors.case_get(actor=actor, case_id=case_id)
    found = selectors.case_visible_queryset(actor=actor).in_bulk(payload.case_ids)
    missing = [pk for pk in payload.case_ids if pk not in found]
    if missing:
        raise NotFoundError(
            _("No such case."),
            fields={
                "case_ids": [_("No such case: %(id)d.") % {"id": pk} for pk in missing]
            },
        )
    result = services.case_merge(
        actor=actor, target=target, sources=[found[pk] for pk in payload.case_ids]
    )
    return Status(201, result.merge)


@router.post("/{case_id}/split", response={201: CaseMergeOut, **ERRORS})
@access(TEAM)
def case_split_api(
    request: HttpRequest, case_id: Id, payload: CaseSplitIn
) -> Status[CaseMerge]:
    """Move ``interaction_ids`` of this case to a new case of the same customer
    (``target_id`` of the answer); undoable."""
    actor = actor_of(request)
    case = selectors.case_get(actor=actor, case_id=case_id)
    result = services.case_split(
        actor=actor,
        case=case,
        interaction_ids=payload.interaction_ids,
        subject=payload.subject,
        expected_version=payload.version,
    )
    return Status(201, result.merge)
