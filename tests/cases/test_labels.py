"""The case's and its interactions' display labels: translated, and an unknown stored
value shown as is."""

from __future__ import annotations

import pytest
from django.utils import translation

from amiable.cases.models import Case, CaseKind, CasePriority, CaseStatus, SlaState
from amiable.conversations.models import Channel, Direction, Interaction


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


def test_interaction_labels_match_djangos_own_and_pass_unknown_values() -> None:
    """The timeline's labels (an enum lookup, not Django's per-call dict)."""
    for field, choices in (("channel", Channel), ("direction", Direction)):
        for value, label in choices.choices:
            interaction = Interaction(**{field: value})
            with translation.override("fr"):
                assert getattr(interaction, f"get_{field}_display")() == str(label)
    with translation.override("en"):
        assert Interaction(channel=Channel.PHONE).get_channel_display() == "Phone"
    assert Interaction(channel="fax").get_channel_display() == "fax"
    assert Interaction(direction="sideways").get_direction_display() == "sideways"
