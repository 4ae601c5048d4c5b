"""Finding a person's strings in text and JSON, whatever the phone's spelling."""

from __future__ import annotations

import pytest

from amiable.core.personal_data import TOMBSTONE, DataSubject, scrub

SUBJECT = DataSubject(
    customer_ids=(1,),
    secrets=("Hélène Dupré-Lefèvre", "helene@exemple.fr", "12 rue de l'Église"),
    phones=("+33612345678",),
    words=("Hélène", "Dupré", "Lefèvre"),
)


@pytest.mark.parametrize(
    "written",
    [
        "+33612345678",
        "+33 6 12 34 56 78",
        "0033 6 12 34 56 78",
        "+33 (0)6 12 34 56 78",
        "06 12 34 56 78",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "0612345678",
    ],
)
def test_a_phone_is_found_in_every_spelling(written: str) -> None:
    assert SUBJECT.scrub(f"Rappeler au {written} demain") == (
        f"Rappeler au {TOMBSTONE} demain"
    )


def test_longer_numbers_and_other_numbers_are_left_alone() -> None:
    text = "Commande 061234567890 et 06 12 34 56 79"

    assert SUBJECT.scrub(text) == text


def test_names_match_whole_words_in_any_case() -> None:
    text = "HÉLÈNE DUPRÉ-LEFÈVRE a écrit ; Hélènette aussi."

    assert SUBJECT.scrub(text) == f"{TOMBSTONE} a écrit ; Hélènette aussi."
    assert SUBJECT.scrub_own("Bonjour Hélène") == f"Bonjour {TOMBSTONE}"
    assert SUBJECT.scrub("Bonjour Hélène") == "Bonjour Hélène"


def test_json_values_and_keys_are_scrubbed_and_other_types_kept() -> None:
    value = {
        "name": "Hélène Dupré-Lefèvre",
        "emails": ["HELENE@exemple.fr", "autre@exemple.fr"],
        "helene@exemple.fr": 3,
        "count": 2,
        "nothing": None,
    }

    assert SUBJECT.scrub(value) == {
        "name": TOMBSTONE,
        "emails": [TOMBSTONE, "autre@exemple.fr"],
        TOMBSTONE: 3,
        "count": 2,
        "nothing": None,
    }


def test_nothing_to_look_for_changes_nothing() -> None:
    assert scrub("Hélène", (), ()) == "Hélène"
    assert scrub("ab", ("ab",)) == "ab"  # too short to be a person's string
    assert not SUBJECT.mentions("")
