"""The user-text to FTS query translation shared by every search."""

from __future__ import annotations

import pytest

from amiable.core.fulltext import SearchTerm, fts5_match, pg_tsquery, search_terms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "colis retard",
            [SearchTerm(("colis",), False), SearchTerm(("retard",), False)],
        ),
        ("retar*", [SearchTerm(("retar",), True)]),
        ("C-2026-000123", [SearchTerm(("C", "2026", "000123"), False)]),
        ('"NEAR( -x', [SearchTerm(("NEAR",), False), SearchTerm(("x",), False)]),
        ("Élodie", [SearchTerm(("Élodie",), False)]),
        ("E\u0301lodie", [SearchTerm(("Élodie",), False)]),
        ("😀 * - \" '", []),
        ("", []),
    ],
)
def test_search_terms_keeps_only_words(text: str, expected: list[SearchTerm]) -> None:
    assert search_terms(text) == expected


def test_search_terms_caps_the_number_of_terms() -> None:
    assert len(search_terms(" ".join(f"w{n}" for n in range(50)))) == 12


def test_fts5_match_quotes_every_term_and_keeps_prefixes() -> None:
    terms = search_terms('colis "retar* C-2026-000123')

    assert fts5_match(terms) == '"colis" "retar"* "C 2026 000123"'


def test_pg_tsquery_binds_every_word_as_a_parameter() -> None:
    terms = search_terms("colis-re* élodie")

    assert pg_tsquery(terms) == (
        "(plainto_tsquery('simple', amiable_fold(%s))"
        " && to_tsquery('simple', quote_literal(amiable_fold(%s)) || ':*')"
        " && plainto_tsquery('simple', amiable_fold(%s)))",
        ["colis", "re", "élodie"],
    )
