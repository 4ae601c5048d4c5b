"""Root causes and recurrence: five complaints with one root cause within seven
days open one problem (never two, even when checks race), later ones join it, the
hourly scan is a backstop, and other kinds or spread-out complaints open nothing."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from amiable.accounts.models import Role, User
from amiable.cases.models import Case, CaseKind, CaseStatus, RootCause
from amiable.notifications.models import Notification
from amiable.quality.models import ActionStatus, Problem, ProblemCase, ProblemStatus
from amiable.quality.services import problem_update, recurrence_check, recurrence_scan
from amiable.quality.services.recurrence import first_window
from tests.factories import CaseFactory, UserFactory
from tests.factories.cases import CaseCategoryFactory
from tests.factories.quality import RootCauseFactory
from tests.quality.conftest import JSON, OnCommit

NOW = timezone.now()


@pytest.fixture
def carrier_delay(db: None) -> RootCause:
    return RootCauseFactory.create(
        code="carrier-delay", name_fr="Retard du transporteur", name_en="Carrier delay"
    )


def complaints(
    team_agent: User,
    cause: RootCause,
    days_ago: list[float],
    *,
    kind: str = CaseKind.COMPLAINT,
    status: str = CaseStatus.OPEN,
) -> list[Case]:
    return [
        CaseFactory.create(
            team=team_agent.team,
            kind=kind,
            root_cause=cause,
            status=status,
            opened_at=NOW - dt.timedelta(days=days),
        )
        for days in days_ago
    ]


def resolve(client: Client, case: Case, on_commit: OnCommit) -> None:
    """Resolve through the cases API with the case's root cause, as an agent does
    on the resolve form (a complaint needs a summary, a category and its cause)."""
    category = CaseCategoryFactory.create(code="livraison")
    with on_commit(execute=True):
        response = client.post(
            f"/api/v1/cases/{case.pk}/resolve",
            {
                "resolution_summary": "Colis réexpédié.",
                "category": category.code,
                "root_cause_id": case.root_cause_id,
            },
            content_type=JSON,
        )
    assert response.status_code == 200, response.content


def test_five_complaints_with_one_root_cause_open_one_problem(
    agent_api: Client,
    agent: User,
    quality_manager: User,
    carrier_delay: RootCause,
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    cases = complaints(agent, carrier_delay, [6, 5, 3.5, 2, 1])
    for case in cases[:4]:
        resolve(agent_api, case, django_capture_on_commit_callbacks)
    assert not Problem.objects.exists()

    resolve(agent_api, cases[4], django_capture_on_commit_callbacks)

    problem = Problem.objects.get()
    assert (problem.root_cause, problem.status, problem.owner) == (
        carrier_delay,
        ProblemStatus.OPEN,
        quality_manager,
    )
    assert problem.title == "Réclamations récurrentes : Retard du transporteur"
    assert sorted(problem.links.values_list("case_id", flat=True)) == sorted(
        case.pk for case in cases
    )
    assert problem.window_start == cases[0].opened_at
    assert problem.window_end == cases[0].opened_at + dt.timedelta(days=7)
    notice = Notification.objects.get(recipient=quality_manager)
    assert notice.url == f"/quality/problems/{problem.pk}/"
    assert notice.title.startswith("5 réclamations avec une même cause racine")


def test_a_sixth_complaint_joins_the_open_problem(
    agent_api: Client,
    agent: User,
    carrier_delay: RootCause,
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    complaints(agent, carrier_delay, [6, 5, 4, 3, 2], status=CaseStatus.RESOLVED)
    problem = recurrence_check(root_cause_id=carrier_delay.pk)
    [late] = complaints(agent, carrier_delay, [0.5])

    resolve(agent_api, late, django_capture_on_commit_callbacks)

    assert Problem.objects.count() == 1
    assert problem is not None
    assert ProblemCase.objects.get(case=late).problem_id == problem.pk


@pytest.mark.parametrize(
    ("days_ago", "opens"),
    [
        ([9, 7, 5, 3, 1], False),  # five in eight days: not five within seven
        ([10, 7, 5, 3, 1, 0.5], True),  # the last five fit in 6.5 days
        ([7, 6, 5, 4, 0], True),  # exactly seven days apart still counts
    ],
)
def test_the_window_is_n_arrivals_within_w_days(
    agent: User, carrier_delay: RootCause, days_ago: list[float], opens: bool
) -> None:
    complaints(agent, carrier_delay, days_ago, status=CaseStatus.RESOLVED)

    problem = recurrence_check(root_cause_id=carrier_delay.pk, at=NOW)

    assert (problem is not None) == opens
    assert Problem.objects.count() == (1 if opens else 0)


def test_the_earliest_window_opens_and_takes_every_later_complaint(
    agent: User, carrier_delay: RootCause
) -> None:
    early = complaints(agent, carrier_delay, [30], status=CaseStatus.RESOLVED)
    window = complaints(
        agent, carrier_delay, [10, 7, 5, 3, 1, 0.5], status=CaseStatus.RESOLVED
    )

    problem = recurrence_check(root_cause_id=carrier_delay.pk, at=NOW)

    assert problem is not None
    linked = set(problem.links.values_list("case_id", flat=True))
    assert linked == {case.pk for case in window[1:]}
    assert early[0].pk not in linked


def test_only_complaints_and_disputes_count(
    agent: User, carrier_delay: RootCause
) -> None:
    complaints(
        agent,
        carrier_delay,
        [5, 4, 3, 2, 1],
        kind=CaseKind.QUESTION,
        status=CaseStatus.RESOLVED,
    )
    assert recurrence_check(root_cause_id=carrier_delay.pk) is None

    complaints(
        agent, carrier_delay, [4, 3], kind=CaseKind.DISPUTE, status=CaseStatus.RESOLVED
    )
    complaints(agent, carrier_delay, [2, 1, 0.5], status=CaseStatus.RESOLVED)

    problem = recurrence_check(root_cause_id=carrier_delay.pk)
    assert problem is not None
    assert problem.links.count() == 5


def test_the_hourly_scan_catches_what_no_event_counted(
    agent: User, carrier_delay: RootCause
) -> None:
    other = RootCauseFactory.create(code="wrong-size")
    complaints(agent, carrier_delay, [5, 4, 3, 2, 1], status=CaseStatus.RESOLVED)
    complaints(agent, other, [3, 2], status=CaseStatus.RESOLVED)

    first = recurrence_scan(at=NOW)
    second = recurrence_scan(at=NOW)

    problem = Problem.objects.get()
    assert (first, second) == ([problem.pk], [])
    assert problem.root_cause == carrier_delay
    assert problem.links.count() == 5


def test_after_closing_a_problem_new_complaints_start_a_new_count(
    agent: User, quality_manager: User, carrier_delay: RootCause
) -> None:
    complaints(agent, carrier_delay, [20, 19, 18, 17, 16], status=CaseStatus.RESOLVED)
    problem = recurrence_check(root_cause_id=carrier_delay.pk)
    assert problem is not None
    problem_update(
        actor=quality_manager,
        problem=problem,
        expected_version=1,
        corrective_action="Changement de transporteur pour l'Île-de-France",
        action_status=ActionStatus.DONE,
        status=ProblemStatus.CLOSED,
    )
    complaints(agent, carrier_delay, [4, 3, 2, 1], status=CaseStatus.RESOLVED)
    assert recurrence_check(root_cause_id=carrier_delay.pk) is None

    complaints(agent, carrier_delay, [0.5], status=CaseStatus.RESOLVED)
    again = recurrence_check(root_cause_id=carrier_delay.pk)

    assert again is not None
    assert again.pk != problem.pk
    assert again.links.count() == 5
    assert Problem.objects.filter(status=ProblemStatus.OPEN).count() == 1


def test_the_owner_is_the_least_busy_quality_manager(
    agent: User, quality_manager: User, carrier_delay: RootCause
) -> None:
    busy = quality_manager
    free = UserFactory.create(username="qualite2", role=Role.QUALITY_MANAGER, team=None)
    other_cause = RootCauseFactory.create(code="wrong-size")
    complaints(agent, other_cause, [5, 4, 3, 2, 1], status=CaseStatus.RESOLVED)
    first = recurrence_check(root_cause_id=other_cause.pk)
    assert first is not None
    assert first.owner == busy
    complaints(agent, carrier_delay, [5, 4, 3, 2, 1], status=CaseStatus.RESOLVED)

    second = recurrence_check(root_cause_id=carrier_delay.pk)

    assert second is not None
    assert second.owner == free


@pytest.mark.parametrize(
    ("arrivals", "expected"),
    [
        ([], None),
        ([0, 1, 2, 3], None),
        ([0, 1, 2, 3, 4], 0),
        ([0, 8, 9, 10, 11, 12], 1),
    ],
)
def test_first_window(arrivals: list[int], expected: int | None) -> None:
    moments = [NOW + dt.timedelta(days=day) for day in arrivals]

    assert first_window(moments, threshold=5, window=dt.timedelta(days=7)) == expected


@pytest.mark.django_db(transaction=True)
def test_racing_checks_open_exactly_one_problem(agent: User) -> None:
    cause = RootCauseFactory.create(code="outage-site")
    complaints(agent, cause, [5, 4, 3, 2, 1], status=CaseStatus.RESOLVED)
    barrier = threading.Barrier(4)

    def check() -> int | None:
        try:
            barrier.wait(timeout=10)
            problem = recurrence_check(root_cause_id=cause.pk)
            return problem.pk if problem is not None else None
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _index: check(), range(4)))

    problem = Problem.objects.get()
    assert results == [problem.pk] * 4
    assert problem.links.count() == 5
