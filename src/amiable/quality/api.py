"""API of the quality app: resolution confirmations, first-contact resolution,
problems (recurring root causes) and incidents (reply to all, resolve all).

Problems and figures are for supervisors and above (403 otherwise); incidents are
seen by all staff and managed by supervisors and above.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from amiable.accounts.models import User
from amiable.api.auth import actor_of
from amiable.api.pagination import page_of
from amiable.api.schemas import ERROR_RESPONSES, Id, PageOut
from amiable.cases.models import Case
from amiable.cases.schemas import CaseOut
from amiable.cases.selectors import (
    CLASSIFICATION_PREFETCH,
    case_get,
    case_visible_queryset,
)
from amiable.core.access import (
    QUALITY,
    STAFF,
    SUPERVISORS,
    SUPERVISORS_TEAM,
    TEAM,
    access,
)
from amiable.core.errors import NotFoundError, ValidationError
from amiable.core.money import Money
from amiable.quality import selectors, services
from amiable.quality.models import IncidentBulkAction, Problem
from amiable.quality.schemas import (
    BulkActionOut,
    ConfirmationListQuery,
    ConfirmationOut,
    FcrOut,
    FcrQuery,
    FcrRowOut,
    IncidentIn,
    IncidentLinkIn,
    IncidentListOut,
    IncidentListQuery,
    IncidentOut,
    IncidentReplyIn,
    IncidentResolveIn,
    IncidentUpdateIn,
    MoneyOut,
    ProblemCaseOut,
    ProblemCasesQuery,
    ProblemDetailOut,
    ProblemLinkIn,
    ProblemListOut,
    ProblemListQuery,
    ProblemOpenIn,
    ProblemOut,
    ProblemUpdateIn,
)

router = Router()


def _money(values: list[Money]) -> list[MoneyOut]:
    return [MoneyOut(amount=value.amount, currency=value.currency) for value in values]


@router.get(
    "/quality/confirmations",
    response={200: PageOut[ConfirmationOut], **ERROR_RESPONSES},
)
@access(STAFF)
def confirmation_list_api(
    request: HttpRequest, params: Query[ConfirmationListQuery]
) -> dict[str, Any]:
    """ "Is your problem solved?" questions and answers, newest first."""
    queryset = selectors.confirmation_list(
        actor=actor_of(request),
        filters=selectors.ConfirmationFilters(
            case_id=params.case_id,
            status=params.status or "",
            is_solved=params.is_solved,
        ),
    )
    return page_of(
        queryset,
        ordering=("-created_at", "-id"),
        limit=params.limit,
        cursor=params.cursor,
    )


@router.get("/quality/fcr", response={200: FcrOut, **ERROR_RESPONSES})
@access(SUPERVISORS)
def fcr_api(request: HttpRequest, params: Query[FcrQuery]) -> FcrOut:
    """First-contact resolution per domain rules §6.2: operational (one inbound
    contact, no repeat within W days, not reopened) and survey (from the
    confirmations), with the confirmed resolution rate."""
    if params.date_from and params.date_to and params.date_to < params.date_from:
        raise ValidationError(
            _("The end date is before the start date."),
            fields={"date_to": [_("Before the start date.")]},
        )
    report = selectors.fcr_report(
        actor=actor_of(request),
        filters=selectors.FcrFilters(
            dimension=params.dimension,
            date_from=params.date_from,
            date_to=params.date_to,
        ),
    )
    return FcrOut(
        dimension=report.filters.dimension.value,
        repeat_window_days=report.repeat_window_days,
        rows=[
            FcrRowOut(
                key=row.key,
                label=row.label,
                resolved=row.resolved,
                first_contact=row.first_contact,
                operational_rate=row.operational_rate,
                waiting=row.waiting,
                survey_answers=row.survey_answers,
                survey_yes=row.survey_yes,
                survey_rate=row.survey_rate,
                confirmations=row.confirmations,
                confirmed=row.confirmed,
                confirmed_rate=row.confirmed_rate,
            )
            for row in report.rows
        ],
    )


@router.get("/problems", response={200: PageOut[ProblemListOut], **ERROR_RESPONSES})
@access(SUPERVISORS)
def problem_list_api(
    request: HttpRequest, params: Query[ProblemListQuery]
) -> dict[str, Any]:
    """Problems, newest first, with their number of cases."""
    queryset = selectors.problem_list(
        actor=actor_of(request),
        filters=selectors.ProblemFilters(
            status=params.status or "", root_cause_id=params.root_cause_id
        ),
    )
    return page_of(
        queryset,
        ordering=("-opened_at", "-id"),
        limit=params.limit,
        cursor=params.cursor,
    )


def _detail(actor: User, problem: Problem) -> ProblemDetailOut:
    cases = selectors.problem_cases(actor=actor, problem=problem)
    return ProblemDetailOut(
        **ProblemOut.from_orm(problem).model_dump(),
        case_count=cases.count,
        hidden_case_count=cases.hidden,
        total_cost=_money(cases.totals),
    )


@router.post("/problems", response={201: ProblemDetailOut, **ERROR_RESPONSES})
@access(QUALITY)
def problem_open_api(request: HttpRequest, payload: ProblemOpenIn) -> Status[Any]:
    """Open a problem by hand for cases with one root cause (quality managers and
    administrators; most problems open by themselves on recurrence)."""
    actor = actor_of(request)
    problem = services.problem_open(
        actor=actor,
        root_cause=selectors.root_cause_get(root_cause_id=payload.root_cause_id),
        cases=_visible_cases(actor, payload.case_ids),
        title=payload.title,
    )
    fresh = selectors.problem_get(actor=actor, problem_id=problem.pk)
    return Status(201, _detail(actor, fresh))


@router.get(
    "/problems/{problem_id}", response={200: ProblemDetailOut, **ERROR_RESPONSES}
)
@access(SUPERVISORS)
def problem_get_api(request: HttpRequest, problem_id: Id) -> ProblemDetailOut:
    """A problem with the number and total cost of the cases the caller sees."""
    actor = actor_of(request)
    return _detail(actor, selectors.problem_get(actor=actor, problem_id=problem_id))


@router.patch(
    "/problems/{problem_id}", response={200: ProblemDetailOut, **ERROR_RESPONSES}
)
@access(SUPERVISORS)
def problem_update_api(
    request: HttpRequest, problem_id: Id, payload: ProblemUpdateIn
) -> ProblemDetailOut:
    """Owner, corrective action and its status, due date; close or reopen
    (quality managers and administrators; ``version`` required)."""
    actor = actor_of(request)
    problem = selectors.problem_get(actor=actor, problem_id=problem_id)
    changes = payload.model_dump(exclude_unset=True, exclude={"version"})
    if "owner_id" in changes:
        owner_id = changes.pop("owner_id")
        changes["owner"] = (
            selectors.staff_user_get(user_id=owner_id) if owner_id else None
        )
    services.problem_update(
        actor=actor, problem=problem, expected_version=payload.version, **changes
    )
    return _detail(actor, selectors.problem_get(actor=actor, problem_id=problem_id))


@router.get(
    "/problems/{problem_id}/cases",
    response={200: PageOut[ProblemCaseOut], **ERROR_RESPONSES},
)
@access(SUPERVISORS)
def problem_cases_api(
    request: HttpRequest, problem_id: Id, params: Query[ProblemCasesQuery]
) -> dict[str, Any]:
    """The problem's cases the caller sees, oldest first, each with its cost."""
    actor = actor_of(request)
    problem = selectors.problem_get(actor=actor, problem_id=problem_id)
    cases = selectors.problem_cases(actor=actor, problem=problem, cursor=params.cursor)
    return {
        "items": [
            ProblemCaseOut(
                case_id=row.case.pk,
                reference=row.case.reference,
                subject=row.case.subject,
                kind=row.case.kind,
                status=row.case.status,
                team_id=row.case.team_id,
                opened_at=row.case.opened_at,
                cost=_money(row.totals),
            )
            for row in cases.rows
        ],
        "next_cursor": cases.page.next_cursor,
        "previous_cursor": cases.page.previous_cursor,
    }


@router.post(
    "/problems/{problem_id}/cases", response={201: ProblemCaseOut, **ERROR_RESPONSES}
)
@access(SUPERVISORS)
def problem_link_api(
    request: HttpRequest, problem_id: Id, payload: ProblemLinkIn
) -> Status[ProblemCaseOut]:
    """Count a case in the problem by hand (409 when in another problem)."""
    actor = actor_of(request)
    problem = selectors.problem_get(actor=actor, problem_id=problem_id)
    case = case_get(actor=actor, case_id=payload.case_id)
    services.problem_link_case(actor=actor, problem=problem, case=case)
    return Status(
        201,
        ProblemCaseOut(
            case_id=case.pk,
            reference=case.reference,
            subject=case.subject,
            kind=case.kind,
            status=case.status,
            team_id=case.team_id,
            opened_at=case.opened_at,
            cost=[],
        ),
    )


@router.get("/incidents", response={200: PageOut[IncidentListOut], **ERROR_RESPONSES})
@access(STAFF)
def incident_list_api(
    request: HttpRequest, params: Query[IncidentListQuery]
) -> dict[str, Any]:
    queryset = selectors.incident_list(
        actor=actor_of(request),
        filters=selectors.IncidentFilters(status=params.status or ""),
    )
    return page_of(
        queryset,
        ordering=("-started_at", "-id"),
        limit=params.limit,
        cursor=params.cursor,
    )


@router.post("/incidents", response={201: IncidentOut, **ERROR_RESPONSES})
@access(SUPERVISORS)
def incident_create_api(request: HttpRequest, payload: IncidentIn) -> Status[Any]:
    """Declare an incident (supervisors and above)."""
    incident = services.incident_create(
        actor=actor_of(request),
        title=payload.title,
        kind=payload.kind,
        description=payload.description,
        started_at=payload.started_at,
    )
    return Status(201, incident)


@router.get("/incidents/{incident_id}", response={200: IncidentOut, **ERROR_RESPONSES})
@access(STAFF)
def incident_get_api(request: HttpRequest, incident_id: Id) -> Any:
    return selectors.incident_get(actor=actor_of(request), incident_id=incident_id)


@router.patch(
    "/incidents/{incident_id}", response={200: IncidentOut, **ERROR_RESPONSES}
)
@access(SUPERVISORS)
def incident_update_api(
    request: HttpRequest, incident_id: Id, payload: IncidentUpdateIn
) -> Any:
    actor = actor_of(request)
    incident = selectors.incident_get(actor=actor, incident_id=incident_id)
    return services.incident_update(
        actor=actor,
        incident=incident,
        expected_version=payload.version,
        **payload.model_dump(exclude_unset=True, exclude={"version"}),
    )


@router.get(
    "/incidents/{incident_id}/cases",
    response={200: PageOut[CaseOut], **ERROR_RESPONSES},
)
@access(STAFF)
def incident_cases_api(
    request: HttpRequest, incident_id: Id, params: Query[ProblemCasesQuery]
) -> dict[str, Any]:
    """The incident's cases the caller sees (those a bulk action reaches)."""
    actor = actor_of(request)
    incident = selectors.incident_get(actor=actor, incident_id=incident_id)
    return page_of(
        selectors.incident_cases(actor=actor, incident=incident).prefetch_related(
            *CLASSIFICATION_PREFETCH
        ),
        ordering=("opened_at", "id"),
        limit=50,
        cursor=params.cursor,
    )


def _visible_cases(actor: User, case_ids: list[int]) -> list[Case]:
    found = list(case_visible_queryset(actor=actor).filter(pk__in=case_ids))
    missing = sorted(set(case_ids) - {case.pk for case in found})
    if missing:
        raise NotFoundError(
            _("No such case."),
            fields={"case_ids": [", ".join(str(pk) for pk in missing)]},
        )
    return found


@router.post(
    "/incidents/{incident_id}/cases",
    response={200: IncidentOut, **ERROR_RESPONSES},
)
@access(TEAM)
def incident_link_api(
    request: HttpRequest, incident_id: Id, payload: IncidentLinkIn
) -> Any:
    """Link cases (409 listing those already in another incident; nothing is
    linked then)."""
    actor = actor_of(request)
    incident = selectors.incident_get(actor=actor, incident_id=incident_id)
    services.incident_link_cases(
        actor=actor, incident=incident, cases=_visible_cases(actor, payload.case_ids)
    )
    return incident


@router.delete(
    "/incidents/{incident_id}/cases/{case_id}",
    response={204: None, **ERROR_RESPONSES},
)
@access(SUPERVISORS_TEAM)
def incident_unlink_api(
    request: HttpRequest, incident_id: Id, case_id: Id
) -> Status[None]:
    actor = actor_of(request)
    incident = selectors.incident_get(actor=actor, incident_id=incident_id)
    case = case_get(actor=actor, case_id=case_id)
    if not services.incident_unlink_case(actor=actor, incident=incident, case=case):
        raise NotFoundError(_("This case is not part of the incident."))
    return Status(204, None)


@router.post(
    "/incidents/{incident_id}/replies",
    response={202: BulkActionOut, **ERROR_RESPONSES},
)
@access(SUPERVISORS)
def incident_reply_all_api(
    request: HttpRequest, incident_id: Id, payload: IncidentReplyIn
) -> Status[IncidentBulkAction]:
    """Reply to every case, each customer in their language; runs in the
    background (poll the returned action)."""
    actor = actor_of(request)
    incident = selectors.incident_get(actor=actor, incident_id=incident_id)
    action = services.incident_reply_all(
        actor=actor,
        incident=incident,
        body_fr=payload.body_fr,
        body_en=payload.body_en,
        is_waiting_for_customer=payload.wait_for_customer,
    )
    return Status(202, action)


@router.post(
    "/incidents/{incident_id}/resolve",
    response={202: BulkActionOut, **ERROR_RESPONSES},
)
@access(SUPERVISORS)
def incident_resolve_all_api(
    request: HttpRequest, incident_id: Id, payload: IncidentResolveIn
) -> Status[IncidentBulkAction]:
    """Resolve the incident and every case still open, with this summary and root
    cause; runs in the background (poll the returned action)."""
    actor = actor_of(request)
    incident = selectors.incident_get(actor=actor, incident_id=incident_id)
    root_cause = selectors.root_cause_get(root_cause_id=payload.root_cause_id)
    action = services.incident_resolve_all(
        actor=actor,
        incident=incident,
        summary=payload.summary,
        root_cause=root_cause,
        expected_version=payload.version,
    )
    return Status(202, action)


@router.get(
    "/incidents/{incident_id}/actions/{action_id}",
    response={200: BulkActionOut, **ERROR_RESPONSES},
)
@access(STAFF)
def incident_action_api(request: HttpRequest, incident_id: Id, action_id: Id) -> Any:
    actor = actor_of(request)
    incident = selectors.incident_get(actor=actor, incident_id=incident_id)
    action = selectors.incident_action_get(incident=incident, action_id=action_id)
    action.refresh_from_db()
    return action
