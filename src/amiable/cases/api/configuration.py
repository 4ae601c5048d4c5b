"""API of what administrators configure around cases: the category and root-cause
taxonomies, SLA policies, routing rules and each team's skills. Everyone signed in
reads the taxonomies and policies (``tracks``); only administrators write here,
through the same services as the Django admin."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.responses import Status

from amiable.accounts.models import Team, User
from amiable.accounts.permissions import can_manage_catalog
from amiable.accounts.selectors import team_list
from amiable.api.auth import actor_of
from amiable.api.schemas import ErrorOut, Id
from amiable.cases import selectors, services
from amiable.cases.api.router import router
from amiable.cases.models import (
    CaseCategory,
    RootCause,
    RoutingRule,
    SlaPolicy,
    TaxonomyEntry,
)
from amiable.cases.schemas import (
    RoutingRuleIn,
    RoutingRuleOut,
    SlaPolicyIn,
    SlaPolicyOut,
    TaxonomyEntryIn,
    TaxonomyEntryOut,
    TeamRoutingIn,
    TeamRoutingOut,
)
from amiable.core.access import ADMIN, access
from amiable.core.errors import NotFoundError, PermissionDeniedError, ValidationError

ERRORS: dict[int, type[ErrorOut]] = dict.fromkeys(
    (400, 401, 403, 404, 409, 422), ErrorOut
)
TAXONOMIES: dict[str, type[RootCause] | type[CaseCategory]] = {
    "categories": CaseCategory,
    "root-causes": RootCause,
}


def _administrator(request: HttpRequest) -> User:
    actor = actor_of(request)
    if not can_manage_catalog(actor):
        raise PermissionDeniedError(_("Only administrators change this."))
    return actor


def _team(actor: User, team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    team = team_list(actor=actor).filter(pk=team_id).first()
    if team is None:
        raise ValidationError(_("No such team."), fields={"team_id": [_("Unknown.")]})
    return team


def _taxonomy_save(
    request: HttpRequest,
    model: type[RootCause] | type[CaseCategory],
    payload: TaxonomyEntryIn,
    entry: TaxonomyEntry | None,
) -> TaxonomyEntry:
    actor = _administrator(request)
    parent = None
    if payload.parent_id is not None:
        parent = model.objects.filter(pk=payload.parent_id).first()
        if parent is None:
            raise ValidationError(
                _("No such family."), fields={"parent_id": [_("Unknown.")]}
            )
    return services.taxonomy_entry_save(
        actor=actor,
        model=model,
        entry=entry,
        code=payload.code,
        name_fr=payload.name_fr,
        name_en=payload.name_en,
        parent=parent,
        is_active=payload.is_active,
    )


def _entry(model: type[RootCause] | type[CaseCategory], entry_id: int) -> Any:
    entry = model.objects.filter(pk=entry_id).first()
    if entry is None:
        raise NotFoundError(_("No such entry."))
    return entry


@router.post("/taxonomy/categories", response={201: TaxonomyEntryOut, **ERRORS})
@access(ADMIN)
def case_category_create_api(
    request: HttpRequest, payload: TaxonomyEntryIn
) -> Status[TaxonomyEntry]:
    """Add a category (administrators)."""
    return Status(201, _taxonomy_save(request, CaseCategory, payload, None))


@router.put(
    "/taxonomy/categories/{entry_id}", response={200: TaxonomyEntryOut, **ERRORS}
)
@access(ADMIN)
def case_category_update_api(
    request: HttpRequest, entry_id: Id, payload: TaxonomyEntryIn
) -> TaxonomyEntry:
    """Change a category (administrators); deactivate rather than delete."""
    _administrator(request)
    return _taxonomy_save(
        request, CaseCategory, payload, _entry(CaseCategory, entry_id)
    )


@router.post("/taxonomy/root-causes", response={201: TaxonomyEntryOut, **ERRORS})
@access(ADMIN)
def root_cause_create_api(
    request: HttpRequest, payload: TaxonomyEntryIn
) -> Status[TaxonomyEntry]:
    """Add a root cause or a family of causes (administrators)."""
    return Status(201, _taxonomy_save(request, RootCause, payload, None))


@router.put(
    "/taxonomy/root-causes/{entry_id}", response={200: TaxonomyEntryOut, **ERRORS}
)
@access(ADMIN)
def root_cause_update_api(
    request: HttpRequest, entry_id: Id, payload: TaxonomyEntryIn
) -> TaxonomyEntry:
    """Change a root cause (administrators); deactivate rather than delete."""
    _administrator(request)
    return _taxonomy_save(request, RootCause, payload, _entry(RootCause, entry_id))


@router.post("/sla/policies", response={201: SlaPolicyOut, **ERRORS})
@access(ADMIN)
def sla_policy_create_api(
    request: HttpRequest, payload: SlaPolicyIn
) -> Status[SlaPolicy]:
    """Add an SLA policy (administrators); targets in business minutes."""
    actor = _administrator(request)
    return Status(201, services.sla_policy_save(actor=actor, **payload.dict()))


@router.put("/sla/policies/{policy_id}", response={200: SlaPolicyOut, **ERRORS})
@access(ADMIN)
def sla_policy_update_api(
    request: HttpRequest, policy_id: Id, payload: SlaPolicyIn
) -> SlaPolicy:
    """Change an SLA policy (administrators); clocks already running keep theirs."""
    actor = _administrator(request)
    policy = selectors.sla_policy_list(actor=actor).filter(pk=policy_id).first()
    if policy is None:
        raise NotFoundError(_("No such policy."))
    return services.sla_policy_save(actor=actor, policy=policy, **payload.dict())


@router.get("/routing/rules", response={200: list[RoutingRuleOut], **ERRORS})
@access(ADMIN)
def routing_rule_list_api(request: HttpRequest) -> list[RoutingRule]:
    """Routing rules in the order they are tried (administrators)."""
    return list(selectors.routing_rule_list(actor=_administrator(request)))


def _rule_fields(actor: User, payload: RoutingRuleIn) -> dict[str, Any]:
    fields = payload.dict()
    fields["team"] = _team(actor, fields.pop("team_id"))
    return fields


@router.post("/routing/rules", response={201: RoutingRuleOut, **ERRORS})
@access(ADMIN)
def routing_rule_create_api(
    request: HttpRequest, payload: RoutingRuleIn
) -> Status[RoutingRule]:
    """Add a routing rule (administrators)."""
    actor = _administrator(request)
    return Status(
        201, services.routing_rule_save(actor=actor, **_rule_fields(actor, payload))
    )


@router.put("/routing/rules/{rule_id}", response={200: RoutingRuleOut, **ERRORS})
@access(ADMIN)
def routing_rule_update_api(
    request: HttpRequest, rule_id: Id, payload: RoutingRuleIn
) -> RoutingRule:
    """Change a routing rule (administrators)."""
    actor = _administrator(request)
    rule = selectors.routing_rule_list(actor=actor).filter(pk=rule_id).first()
    if rule is None:
        raise NotFoundError(_("No such routing rule."))
    return services.routing_rule_save(
        actor=actor, rule=rule, **_rule_fields(actor, payload)
    )


@router.get("/routing/teams", response={200: list[TeamRoutingOut], **ERRORS})
@access(ADMIN)
def team_routing_list_api(request: HttpRequest) -> list[Any]:
    """Each team's skills and assignment mode (administrators)."""
    return list(selectors.team_routing_list(actor=_administrator(request)))


@router.put("/routing/teams/{team_id}", response={200: TeamRoutingOut, **ERRORS})
@access(ADMIN)
def team_routing_save_api(
    request: HttpRequest, team_id: Id, payload: TeamRoutingIn
) -> Any:
    """Set a team's skills (languages, category codes) and assignment mode."""
    actor = _administrator(request)
    team = team_list(actor=actor).filter(pk=team_id).first()
    if team is None:
        raise NotFoundError(_("No such team."))
    return services.team_routing_save(
        actor=actor,
        team=team,
        languages=payload.languages,
        categories=payload.categories,
        assignment_mode=payload.assignment_mode,
    )
