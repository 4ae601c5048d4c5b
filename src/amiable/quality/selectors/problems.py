"""Reading problems and the cases they link, with their cost."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.cases.models import Case, CaseCost, RootCause
from amiable.cases.selectors import case_visible_queryset
from amiable.conversations.models import Interaction
from amiable.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from amiable.core.money import Money
from amiable.core.pagination import Page, paginate
from amiable.quality.models import Problem
from amiable.quality.permissions import can_view_quality


def _require(actor: User) -> None:
    if not can_view_quality(actor):
        raise PermissionDeniedError(_("Problems are for supervisors and above."))


@dataclass(frozen=True)
class ProblemFilters:
    status: str = ""
    root_cause_id: int | None = None


def problem_list(*, actor: User, filters: ProblemFilters) -> QuerySet[Problem]:
    """Problems with their root cause, owner and number of cases (one query)."""
    _require(actor)
    queryset = Problem.objects.select_related("root_cause", "owner").annotate(
        case_count=Count("links")
    )
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.root_cause_id is not None:
        queryset = queryset.filter(root_cause_id=filters.root_cause_id)
    return queryset


def problem_get(*, actor: User, problem_id: int) -> Problem:
    _require(actor)
    problem = (
        Problem.objects.select_related("root_cause", "owner")
        .filter(pk=problem_id)
        .first()
    )
    if problem is None:
        raise NotFoundError(_("No such problem."))
    return problem


@dataclass(frozen=True)
class CaseWithCost:
    case: Case
    totals: list[Money]


@dataclass(frozen=True)
class ProblemCases:
    """A page of the linked cases the actor sees, each with its cost; the count and
    total cost of all of them; how many linked cases are of teams not seen."""

    rows: list[CaseWithCost]
    page: Page[Case]
    count: int
    hidden: int
    totals: list[Money]


def case_costs(case_ids: list[int]) -> dict[int, dict[str, Decimal]]:
    """Ledger plus staff time per case and currency (two aggregate queries)."""
    hourly: Money = settings.STAFF_HOURLY_COST
    sums: dict[int, dict[str, Decimal]] = {pk: {} for pk in case_ids}
    for row in (
        CaseCost.objects.filter(case_id__in=case_ids)
        .order_by()
        .values("case_id", "currency")
        .annotate(total=Sum("amount"))
    ):
        bucket = sums[row["case_id"]]
        bucket[row["currency"]] = bucket.get(row["currency"], Decimal(0)) + row["total"]
    for row in (
        Interaction.objects.filter(case_id__in=case_ids, time_spent_seconds__gt=0)
        .order_by()
        .values("case_id")
        .annotate(seconds=Sum("time_spent_seconds"))
    ):
        staff = Money(hourly.amount * Decimal(row["seconds"]) / 3600, hourly.currency)
        bucket = sums[row["case_id"]]
        bucket[staff.currency] = (
            bucket.get(staff.currency, Decimal(0)) + staff.quantized().amount
        )
    return sums


def total_cost(cases: QuerySet[Case]) -> list[Money]:
    """The summed cost of all ``cases`` (two aggregate queries)."""
    hourly: Money = settings.STAFF_HOURLY_COST
    overall: dict[str, Decimal] = {}
    for row in (
        CaseCost.objects.filter(case__in=cases)
        .order_by()
        .values("currency")
        .annotate(total=Sum("amount"))
    ):
        overall[row["currency"]] = row["total"]
    seconds = (
        Interaction.objects.filter(case__in=cases)
        .order_by()
        .aggregate(total=Sum("time_spent_seconds"))["total"]
        or 0
    )
    if seconds:
        staff = Money(hourly.amount * Decimal(seconds) / 3600, hourly.currency)
        overall[staff.currency] = overall.get(staff.currency, Decimal(0)) + staff.amount
    return _as_money(overall)


def _as_money(bucket: dict[str, Decimal]) -> list[Money]:
    return [Money(amount, code).quantized() for code, amount in sorted(bucket.items())]


CASE_PAGE_SIZE = 50


def problem_cases(
    *, actor: User, problem: Problem, cursor: str | None = None
) -> ProblemCases:
    """A fixed number of queries whatever the number of cases. Raises
    ValidationError for a bad cursor."""
    linked = Case.objects.filter(problem_link__problem=problem)
    visible = linked.filter(pk__in=case_visible_queryset(actor=actor).values("pk"))
    page = paginate(
        visible.select_related("customer", "team", "assignee"),
        ordering=("opened_at", "id"),
        limit=CASE_PAGE_SIZE,
        cursor=cursor,
    )
    sums = case_costs([case.pk for case in page.items])
    count = visible.count()
    return ProblemCases(
        rows=[CaseWithCost(case, _as_money(sums[case.pk])) for case in page.items],
        page=page,
        count=count,
        hidden=linked.count() - count,
        totals=total_cost(visible),
    )


def staff_user_get(*, user_id: int) -> User:
    """A staff member named in a request (e.g. a problem's owner)."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise ValidationError(
            _("No such user."), fields={"owner_id": [_("No such user.")]}
        )
    return user


def root_cause_get(*, root_cause_id: int) -> RootCause:
    root_cause = RootCause.objects.filter(pk=root_cause_id).first()
    if root_cause is None:
        raise ValidationError(
            _("No such root cause."), fields={"root_cause_id": [_("Unknown.")]}
        )
    return root_cause
