"""The sandboxed renderer of macro texts: documented variables only."""

from __future__ import annotations

import pytest

from amiable.macros.rendering import (
    VARIABLES,
    MacroContext,
    render_macro_text,
    unknown_variables,
)

CONTEXT = MacroContext(
    first_name="Jeanne",
    customer_name="Jeanne Martin",
    case_reference="C-2026-000042",
    order_number="CMD-1001",
    promise_due_date="12 juin 2026",
)


def test_every_documented_variable_is_a_field_of_the_context() -> None:
    assert set(VARIABLES) == set(MacroContext.__dataclass_fields__)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bonjour {{ first_name }} !", "Bonjour Jeanne !"),
        ("{{first_name}}/{{  case_reference  }}", "Jeanne/C-2026-000042"),
        (
            "Commande {{ order_number }}, le {{ promise_due_date }}.",
            "Commande CMD-1001, le 12 juin 2026.",
        ),
        ("{{ unknown }} stays", "{{ unknown }} stays"),
        ("{{ first_name.__class__ }}", "{{ first_name.__class__ }}"),
        (
            "{% if x %}tag{% endif %} {{ first_name|upper }}",
            "{% if x %}tag{% endif %} {{ first_name|upper }}",
        ),
        ("{{ case_subject }}", ""),
    ],
)
def test_only_documented_names_are_replaced(text: str, expected: str) -> None:
    assert render_macro_text(text, CONTEXT) == expected


def test_a_value_is_not_rendered_again() -> None:
    context = MacroContext(first_name="{{ case_reference }}", case_reference="X")

    assert render_macro_text("{{ first_name }}", context) == "{{ case_reference }}"


def test_unknown_variables_are_listed() -> None:
    assert unknown_variables("{{ first_name }} {{ password }} {{ secret }}") == [
        "password",
        "secret",
    ]


def test_expressions_between_braces_are_unknown_variables() -> None:
    text = "{{ first_name.__class__ }} {{ first_name|safe }} {{ first_name }}"

    assert unknown_variables(text) == ["first_name.__class__", "first_name|safe"]
