"""The crawler's judge of untranslated text, on made-up pages: it flags our English
left on a French page (and the reverse), dates and amounts written the other
language's way, and leaves data and shared words alone."""

from __future__ import annotations

import pytest

from tests.web.crawling import Catalogues, normalise, page_parse, untranslated_texts

DATA = {"Claire Martin", "My parcel has not arrived"}


@pytest.fixture(scope="module")
def catalogues() -> Catalogues:
    return Catalogues.load()


def test_a_msgid_left_in_english_on_the_french_page_is_flagged(
    catalogues: Catalogues,
) -> None:
    found = untranslated_texts(
        ["Skip to main content", "Claire Martin"],
        ["Skip to main content", "Claire Martin"],
        catalogues,
        DATA,
    )

    assert found.english_on_french == {"Skip to main content"}
    assert found.french_on_english == set()


def test_hard_coded_english_and_french_are_flagged(catalogues: Catalogues) -> None:
    found = untranslated_texts(
        ["Approvals waiting for your decision", "Nouvelle échéance"],
        ["Approvals waiting for your decision", "Nouvelle échéance"],
        catalogues,
        DATA,
    )

    assert found.english_on_french == {"Approvals waiting for your decision"}
    assert found.french_on_english == {"Nouvelle échéance"}


def test_data_and_words_both_languages_share_are_not_flagged(
    catalogues: Catalogues,
) -> None:
    texts = ["My parcel has not arrived", "Incident", "Type", "Question · Litiges"]

    found = untranslated_texts(texts, texts, catalogues, DATA | {"Litiges"})

    assert (found.english_on_french, found.french_on_english) == (set(), set())


@pytest.mark.parametrize(
    ("french", "english", "on_french", "on_english"),
    [
        ("Le 2 Dec 2026", "2 Dec 2026", {"Le 2 Dec 2026"}, set()),
        ("Montant : €12.50", "Amount: €12.50", {"Montant : €12.50"}, set()),
        ("Montant : 12,50 €", "Amount: 12,50 €", set(), {"Amount: 12,50 €"}),
        ("2 déc. 2026", "2 déc. 2026", set(), {"2 déc. 2026"}),
    ],
)
def test_dates_and_amounts_in_the_other_languages_format_are_flagged(
    catalogues: Catalogues,
    french: str,
    english: str,
    on_french: set[str],
    on_english: set[str],
) -> None:
    found = untranslated_texts([french], [english], catalogues, set())

    assert (found.english_on_french, found.french_on_english) == (
        on_french,
        on_english,
    )


def test_text_marked_translate_no_is_not_read() -> None:
    links, texts = page_parse(
        '<p title="Open">Open <a href="/cases/1/">case</a></p>'
        '<pre translate="no">From: a@example.com <b>x</b></pre><p>After</p>'
    )

    assert (links, texts) == (["/cases/1/"], ["Open", "Open", "case", "After"])


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("/cases/?status=open&team=2", "/cases/?status=open&team=2"),
        ("/cases/?team=2&status=open", "/cases/?status=open&team=2"),
        ("?page=2", "/cases/?page=2"),
        ("http://testserver/customers/", "/customers/"),
        ("https://example.com/", None),
        ("#main", None),
        ("mailto:a@example.com", None),
        ("/logout/", None),
        ("/admin/", None),
    ],
)
def test_only_internal_links_are_followed(href: str, expected: str | None) -> None:
    assert normalise(href, "/cases/") == expected
