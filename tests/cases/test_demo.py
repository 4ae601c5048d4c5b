"""The demo data of resolution: taxonomies, calendars, policies, routing, clocks and
escalated cases, loaded once."""

from __future__ import annotations

import pytest

from amiable.cases.models import (
    Case,
    CaseCategory,
    CaseEscalation,
    EscalationLevel,
    RootCause,
    RoutingRule,
    SlaClock,
    SlaPolicy,
    TeamRouting,
)
from amiable.cli import main
from amiable.sla.models import BusinessCalendar


def _snapshot() -> tuple[int, ...]:
    return (
        CaseCategory.objects.count(),
        RootCause.objects.count(),
        BusinessCalendar.objects.count(),
        SlaPolicy.objects.count(),
        TeamRouting.objects.count(),
        RoutingRule.objects.count(),
        SlaClock.objects.count(),
        CaseEscalation.objects.count(),
    )


@pytest.mark.django_db
def test_demo_configures_and_illustrates_resolution() -> None:
    main(["demo", "--scale", "0.1", "--quiet"])

    calendars = dict(BusinessCalendar.objects.values_list("name", "holiday_region"))
    assert _snapshot()[:6] == (18, 9, 4, 5, 3, 3)
    assert calendars["Réclamations — Metz"] == "57"
    assert SlaClock.objects.exists()
    assert set(
        CaseEscalation.objects.filter(escalated_by__isnull=False).values_list(
            "level", flat=True
        )
    ) == {1, 2, 3}
    assert Case.objects.filter(escalation_level=EscalationLevel.MEDIATOR).count() == 1
    assert Case.objects.filter(
        kind__in=["complaint", "dispute"], status="closed", root_cause__isnull=False
    ).exists()


@pytest.mark.django_db
def test_demo_twice_adds_nothing_to_resolution() -> None:
    main(["demo", "--scale", "0.1", "--quiet"])
    before = _snapshot()

    main(["demo", "--scale", "0.1", "--quiet"])

    assert _snapshot() == before
