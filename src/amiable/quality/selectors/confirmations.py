"""Reading confirmations: from a public link, for a case, and as a list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.cases.selectors import case_visible_queryset
from amiable.quality.models import ResolutionConfirmation
from amiable.quality.signing import TokenState, token_check


@dataclass(frozen=True)
class ConfirmationLink:
    """What a public link resolves to: a confirmation only for a genuine link."""

    state: TokenState
    confirmation: ResolutionConfirmation | None


def confirmation_from_token(token: str) -> ConfirmationLink:
    """The confirmation of a signed link. A forged or unknown token gives nothing
    (INVALID); an old signature gives its confirmation as EXPIRED."""
    check = token_check(token)
    if check.state == TokenState.INVALID:
        return ConfirmationLink(TokenState.INVALID, None)
    confirmation = (
        ResolutionConfirmation.objects.select_related("case", "customer")
        .filter(public_key=check.public_key)
        .first()
    )
    if confirmation is None:
        return ConfirmationLink(TokenState.INVALID, None)
    return ConfirmationLink(check.state, confirmation)


def confirmations_for_case(*, actor: User, case: Case) -> list[ResolutionConfirmation]:
    """The case's confirmations, newest first (the case is already visible)."""
    return list(
        ResolutionConfirmation.objects.filter(case=case).order_by("-created_at", "-id")[
            :5
        ]
    )


@dataclass(frozen=True)
class ConfirmationFilters:
    case_id: int | None = None
    status: str = ""
    is_solved: bool | None = None


def confirmation_list(
    *, actor: User, filters: ConfirmationFilters
) -> QuerySet[ResolutionConfirmation]:
    queryset = ResolutionConfirmation.objects.filter(
        case__in=case_visible_queryset(actor=actor)
    ).select_related("case", "customer")
    if filters.case_id is not None:
        queryset = queryset.filter(case_id=filters.case_id)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.is_solved is not None:
        queryset = queryset.filter(is_solved=filters.is_solved)
    return queryset


@dataclass(frozen=True)
class CaseLinks:
    """The problem and the incident a case belongs to (ids and titles)."""

    problem_id: int | None
    problem_title: str
    incident_id: int | None
    incident_title: str
    incident_status: str


def case_links(*, case: Case) -> CaseLinks:
    """One query for both links (the case is already visible)."""
    found = (
        Case.objects.filter(pk=case.pk)
        .values(
            "problem_link__problem_id",
            "problem_link__problem__title",
            "incident_link__incident_id",
            "incident_link__incident__title",
            "incident_link__incident__status",
        )
        .first()
    )
    row: dict[str, Any] = dict(found) if found is not None else {}
    return CaseLinks(
        problem_id=row.get("problem_link__problem_id"),
        problem_title=row.get("problem_link__problem__title") or "",
        incident_id=row.get("incident_link__incident_id"),
        incident_title=row.get("incident_link__incident__title") or "",
        incident_status=row.get("incident_link__incident__status") or "",
    )
