"""``POST /api/v1/cases/bulk``: one action (assign, status, priority, add or remove
a tag) on up to 100
cases, each changed on its own through the one-case service (its rules, its audit
event, its optimistic ``version`` when given).

The answer is 200 with one result per case, in the order given: ``changed``,
``unchanged`` (already so) or ``refused`` with the error's ``code`` and
``message`` (``not_found`` for a case the caller does not see, exactly like a
case that does not exist). A request that is wrong as a whole (no case, a case
twice, an unknown status, priority or assignee) is a 422 and changes nothing.
The request and its schemas live here: nothing else uses them."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import Field

from amiable.api.auth import actor_of
from amiable.api.schemas import ErrorOut, Id, InSchema, Version
from amiable.cases import services
from amiable.cases.api.router import router
from amiable.cases.models import CasePriority, CaseStatus
from amiable.core.access import STAFF, access
from amiable.core.errors import ValidationError

ERRORS: dict[int, type[ErrorOut]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


class CaseBulkTargetIn(InSchema):
    id: Id
    version: Version | None = Field(
        None, description="The version you saw; a newer one refuses that case (409)."
    )


class CaseBulkIn(InSchema):
    cases: list[CaseBulkTargetIn] = Field(
        min_length=1, max_length=services.BULK_MAX_CASES
    )
    action: Literal["assign", "status", "priority", "tag_add", "tag_remove"]
    assignee_id: Id | None = Field(
        None, description="For assign: the agent; null or absent unassigns."
    )
    status: CaseStatus | None = Field(None, description="For status (not resolved).")
    priority: CasePriority | None = Field(None, description="For priority.")
    tag: str | None = Field(
        None, max_length=60, description="For tag_add and tag_remove: its name."
    )


class CaseBulkResultOut(Schema):
    id: int
    reference: str
    outcome: Literal["changed", "unchanged", "refused"]
    code: str = Field(description="The error code of a refusal, else empty.")
    message: str


class CaseBulkOut(Schema):
    changed: int
    unchanged: int
    refused: int
    results: list[CaseBulkResultOut]


def _action(payload: CaseBulkIn) -> services.BulkAction:
    if payload.action == "assign":
        value = "none" if payload.assignee_id is None else str(payload.assignee_id)
        return services.BulkAction(kind=services.BulkKind.ASSIGN, value=value)
    if payload.action in {"tag_add", "tag_remove"}:
        return services.BulkAction(
            kind=services.BulkKind(payload.action), value=payload.tag or ""
        )
    chosen = payload.status if payload.action == "status" else payload.priority
    if chosen is None:
        raise ValidationError(
            _("Say which status or priority to set."),
            fields={payload.action: [_("Required.")]},
        )
    return services.BulkAction(kind=services.BulkKind(payload.action), value=chosen)


@router.post("/bulk", response={200: CaseBulkOut, **ERRORS})
@access(STAFF)
def case_bulk_api(request: HttpRequest, payload: CaseBulkIn) -> CaseBulkOut:
    """Assign, move, reprioritise or tag several cases; one result per case."""
    result = services.case_bulk_apply(
        actor=actor_of(request),
        targets=[
            services.BulkTarget(case_id=item.id, version=item.version)
            for item in payload.cases
        ],
        action=_action(payload),
    )
    return CaseBulkOut(
        changed=result.count(services.BulkOutcomeKind.CHANGED),
        unchanged=result.count(services.BulkOutcomeKind.UNCHANGED),
        refused=result.count(services.BulkOutcomeKind.REFUSED),
        results=[
            CaseBulkResultOut(
                id=item.case_id,
                reference=item.reference,
                outcome=item.outcome.value,
                code=item.code,
                message=item.message,
            )
            for item in result.outcomes
        ],
    )
