"""The case's display labels: translated, and an unknown stored value shown as is."""

from __future__ import annotations

import pytest
from django.utils import translation

from amiable.cases.models import Case, CaseKind, CasePriority, CaseStatus, SlaState


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", ("Complaint", "High", "Open")), ("fr", ("Réclamation", "Haute", "Ouvert"))],
)
def test_labels_follow_the_active_language(
    language: str, expected: tuple[str, str, str]
) -> None:
    case = Case(
        kind=CaseKind.COMPLAINT, priority=CasePriority.HIGH, status=CaseStatus.OPEN
    )

    with translation.override(language):
        shown = (
            case.get_kind_display(),
            case.get_priority_display(),
            case.get_status_display(),
        )

    assert shown == expected


def test_every_choice_matches_djangos_own_label() -> None:
    for field, choices in (
        ("kind", CaseKind),
        ("priority", CasePriority),
        ("status", CaseStatus),
        ("sla_state", SlaState),
    ):
        for value, label in choices.choices:
            case = Case(**{field: value})
            with translation.override("fr"):
                assert getattr(case, f"get_{field}_display")() == str(label)


def test_an_unknown_stored_value_is_shown_as_is() -> None:
    assert Case(status="archived").get_status_display() == "archived"
