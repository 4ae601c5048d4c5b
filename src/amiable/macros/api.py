"""API of macros: list, read, create, change, delete, and apply one to a case.

Macros the caller may not see answer 404; ones they see but may not manage 403.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from amiable.accounts.selectors import team_list
from amiable.api.auth import actor_of
from amiable.api.pagination import page_of
from amiable.api.schemas import ERROR_RESPONSES, Id, PageOut
from amiable.cases.selectors import case_get
from amiable.core.access import STAFF, TEAM, access
from amiable.core.errors import NotFoundError
from amiable.macros import services
from amiable.macros.models import Macro
from amiable.macros.schemas import (
    MacroAppliedOut,
    MacroApplyIn,
    MacroCreateIn,
    MacroListQuery,
    MacroOut,
    MacroUpdateIn,
)
from amiable.macros.selectors import macro_get, macro_get_for_case, macro_list

router = Router()
ERRORS = ERROR_RESPONSES
SORTS: dict[str, tuple[str, ...]] = {"name": ("name", "id"), "-name": ("-name", "-id")}


@router.get("", response={200: PageOut[MacroOut], **ERRORS})
@access(STAFF)
def macro_list_api(
    request: HttpRequest, params: Query[MacroListQuery]
) -> dict[str, Any]:
    """The caller's personal macros and their team's (every team's for admins)."""
    return page_of(
        macro_list(actor=actor_of(request)),
        ordering=SORTS[params.sort],
        limit=params.limit,
        cursor=params.cursor,
    )


@router.get("/{macro_id}", response={200: MacroOut, **ERRORS})
@access(TEAM)
def macro_get_api(request: HttpRequest, macro_id: Id) -> Macro:
    return macro_get(actor=actor_of(request), macro_id=macro_id)


@router.post("", response={201: MacroOut, **ERRORS})
@access(STAFF)
def macro_create_api(request: HttpRequest, payload: MacroCreateIn) -> Status[Macro]:
    """A team macro (supervisors of that team, administrators) or a personal one."""
    actor = actor_of(request)
    team = None
    if payload.team_id is not None:
        team = team_list(actor=actor).filter(pk=payload.team_id).first()
        if team is None:
            raise NotFoundError(_("No such team."), fields={"team_id": [_("Unknown.")]})
    macro = services.macro_create(
        actor=actor, team=team, **payload.model_dump(exclude={"team_id"})
    )
    return Status(201, macro)


@router.patch("/{macro_id}", response={200: MacroOut, **ERRORS})
@access(TEAM)
def macro_update_api(
    request: HttpRequest, macro_id: Id, payload: MacroUpdateIn
) -> Macro:
    actor = actor_of(request)
    macro = macro_get(actor=actor, macro_id=macro_id)
    return services.macro_update(
        actor=actor, macro=macro, **payload.model_dump(exclude_unset=True)
    )


@router.delete("/{macro_id}", response={204: None, **ERRORS})
@access(TEAM)
def macro_delete_api(request: HttpRequest, macro_id: Id) -> Status[None]:
    actor = actor_of(request)
    services.macro_delete(actor=actor, macro=macro_get(actor=actor, macro_id=macro_id))
    return Status(204, None)


@router.post("/{macro_id}/apply", response={200: MacroAppliedOut, **ERRORS})
@access(TEAM)
def macro_apply_api(
    request: HttpRequest, macro_id: Id, payload: MacroApplyIn
) -> dict[str, Any]:
    """Apply a macro to a case (its status, priority and note) and answer its text,
    variables filled in the customer's language, for the reply the caller sends."""
    actor = actor_of(request)
    case = case_get(actor=actor, case_id=payload.case_id)
    macro = macro_get_for_case(actor=actor, case=case, macro_id=macro_id)
    applied = services.macro_apply(
        actor=actor, case=case, macro=macro, expected_version=payload.version
    )
    return {
        "text": applied.text,
        "is_case_changed": applied.is_case_changed,
        "case_version": applied.case.version,
    }
