"""Recurring root causes: N complaints with one root cause within W days open one
``Problem`` linking them (quality settings: ``recurrence_threshold`` N and
``recurrence_window_days`` W; 5 in 7 days by default).

When the count runs:
- when a complaint or dispute is resolved with a root cause (the ``CaseStatusChanged``
  handler; the lifecycle sets the root cause on resolution), for that root cause;
- every hour, as a backstop, for every root cause with unlinked complaints opened in
  the last ``recurrence_lookback_days`` (``recurrence_scan``).

What counts: cases of kind complaint or dispute resolved (or closed) with that root
cause, not yet in a problem, by the time they arrived (``opened_at``). A root cause is
known once the case is resolved; a reopened case counts again when resolved again.
A window is N of them whose first and last arrived at most W days apart; the
earliest such window opens the problem,
with every unlinked complaint from its first arrival on. While the problem is open,
later complaints with the same cause join it instead of opening another.

Exactly one: at most one open problem per root cause is a partial unique index, the
check runs under a lock on the root cause row (PostgreSQL; SQLite serialises
writers), and a case belongs to one problem at most (unique link).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from amiable.accounts.models import Role, User
from amiable.audit.services import audit_record
from amiable.cases.models import Case, CaseKind, CaseStatus, RootCause
from amiable.core.clock import now
from amiable.notifications.services import notification_send
from amiable.quality.models import Problem, ProblemCase, ProblemStatus, QualitySettings
from amiable.quality.services.settings import quality_settings_get

COUNTED_KINDS = (CaseKind.COMPLAINT, CaseKind.DISPUTE)
COUNTED_STATUSES = (CaseStatus.RESOLVED, CaseStatus.CLOSED)


def _candidates(root_cause: RootCause, since: dt.datetime) -> QuerySet[Case]:
    return Case.objects.filter(
        root_cause=root_cause,
        kind__in=COUNTED_KINDS,
        status__in=COUNTED_STATUSES,
        problem_link__isnull=True,
        opened_at__gte=since,
    ).order_by("opened_at", "id")


def first_window(
    arrivals: list[dt.datetime], *, threshold: int, window: dt.timedelta
) -> int | None:
    """The index of the first arrival that starts ``threshold`` arrivals within
    ``window`` (``arrivals`` sorted), or None."""
    for start in range(len(arrivals) - threshold + 1):
        if arrivals[start + threshold - 1] - arrivals[start] <= window:
            return start
    return None


def problem_owner(config: QualitySettings) -> User | None:
    """The configured owner, else the active quality manager with the fewest open
    problems (impartial: not the agents of the cases)."""
    owner = config.default_problem_owner
    if owner is not None and owner.is_active:
        return owner
    return (
        User.objects.filter(role=Role.QUALITY_MANAGER, is_active=True)
        .annotate(
            open_count=Count(
                "owned_problems",
                filter=Q(owned_problems__status=ProblemStatus.OPEN),
            )
        )
        .order_by("open_count", "id")
        .first()
    )


def _link(problem: Problem, cases: list[Case], at: dt.datetime) -> int:
    linked = 0
    for case in cases:
        try:
            with transaction.atomic():
                ProblemCase.objects.create(
                    problem=problem, case=case, is_automatic=True, linked_at=at
                )
        except IntegrityError:
            continue  # linked meanwhile by a concurrent check
        linked += 1
    return linked


def _open(
    root_cause: RootCause, cases: list[Case], config: QualitySettings, at: dt.datetime
) -> Problem | None:
    owner = problem_owner(config)
    start = cases[0].opened_at
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        title = _("Recurring complaints: %(cause)s") % {
            "cause": root_cause.name_in(language)
        }
    problem = Problem(
        title=title[:200],
        root_cause=root_cause,
        owner=owner,
        window_start=start,
        window_end=start + dt.timedelta(days=config.recurrence_window_days),
        threshold=config.recurrence_threshold,
        opened_at=at,
    )
    try:
        with transaction.atomic():
            problem.save()
    except IntegrityError:
        return None  # another check opened it first: the caller links to it
    audit_record(
        actor=None,
        action="problem.open",
        instance=problem,
        after={"root_cause": root_cause.pk, "cases": [case.pk for case in cases]},
    )
    if owner is not None:
        with translation.override(owner.preferred_language or language):
            notice = _("%(count)d complaints with one root cause: %(cause)s") % {
                "count": len(cases),
                "cause": root_cause.name_in(owner.preferred_language or language),
            }
        notification_send(
            recipients=[owner],
            kind="quality.problem_opened",
            title=notice,
            url=reverse("quality:problem_detail", args=[problem.pk]),
            dedupe_key=f"quality.problem:{problem.pk}",
        )
    return problem


@transaction.atomic
def recurrence_check(
    *, root_cause_id: int, at: dt.datetime | None = None
) -> Problem | None:
    """Count the complaints of one root cause; open or feed its problem. Returns the
    open problem of that cause, or None when there is none (yet). Idempotent."""
    at = at or now()
    config = quality_settings_get()
    root_cause = RootCause.objects.select_for_update().filter(pk=root_cause_id).first()
    if root_cause is None:
        return None
    problem = Problem.objects.filter(
        root_cause=root_cause, status=ProblemStatus.OPEN
    ).first()
    if problem is not None:
        _link(problem, list(_candidates(root_cause, problem.window_start)), at)
        return problem
    since = at - dt.timedelta(days=config.recurrence_lookback_days)
    cases = list(_candidates(root_cause, since))
    start = first_window(
        [case.opened_at for case in cases],
        threshold=config.recurrence_threshold,
        window=dt.timedelta(days=config.recurrence_window_days),
    )
    if start is None:
        return None
    counted = cases[start:]
    problem = _open(root_cause, counted, config, at)
    if problem is None:
        problem = Problem.objects.get(root_cause=root_cause, status=ProblemStatus.OPEN)
    _link(problem, counted, at)
    return problem


def recurrence_scan(*, at: dt.datetime | None = None) -> list[int]:
    """The hourly backstop: check every root cause with enough unlinked complaints
    in the look-back period. Returns the ids of the problems now open for them."""
    at = at or now()
    config = quality_settings_get()
    since = at - dt.timedelta(days=config.recurrence_lookback_days)
    unlinked = Case.objects.filter(
        root_cause__isnull=False,
        kind__in=COUNTED_KINDS,
        status__in=COUNTED_STATUSES,
        problem_link__isnull=True,
        opened_at__gte=since,
    ).order_by()
    enough = (
        unlinked.values("root_cause_id")
        .annotate(total=Count("id"))
        .filter(total__gte=config.recurrence_threshold)
        .values_list("root_cause_id", flat=True)
    )
    # Complaints that should have joined an open problem (a missed event).
    joining = unlinked.filter(
        root_cause__problems__status=ProblemStatus.OPEN
    ).values_list("root_cause_id", flat=True)
    causes = sorted(set(enough) | set(joining))
    opened = []
    for root_cause_id in causes:
        problem = recurrence_check(root_cause_id=root_cause_id, at=at)
        if problem is not None:
            opened.append(problem.pk)
    return opened
