"""Reply stripping on the annotated replies of ``tests/inbound/replies/`` (written by
the project): every customer line stays visible, quotes and signatures fold; the
folded parts come back whole for display; measured before (the old extractor, frozen
in ``bench/replies_legacy.py``) and after."""

from __future__ import annotations

import time

import pytest
from bench.replies import (
    AnnotatedReply,
    Score,
    lines_visible,
    replies_measure,
    replies_read,
    reply_score,
)

from amiable.inbound.quoting import reply_extract, reply_segments
from amiable.inbound.reply_lines import LineKind, lines_classify, lines_split

REPLIES = replies_read()
BY_NAME = {reply.name: reply for reply in REPLIES}


def test_the_set_has_sixty_french_and_english_replies_of_every_kind() -> None:
    languages = {reply.language for reply in REPLIES}
    tags = {tag for reply in REPLIES for tag in reply.tags}

    assert len(REPLIES) >= 60
    assert len(BY_NAME) == len(REPLIES)  # names are unique
    assert languages == {"fr", "en"}
    assert min(sum(r.language == lang for r in REPLIES) for lang in languages) >= 20
    assert {
        "top",
        "bottom",
        "inline",
        "bullets",
        "numbered",
        "forwarded",
        "closing",
        "dashes",
        "dashes-in-text",
        "own-quote",
        "mobile",
        "business",
        "gmail",
        "outlook",
        "apple",
        "thunderbird",
    } <= tags


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_every_customer_line_of_each_reply_stays_visible(name: str) -> None:
    reply = BY_NAME[name]

    visible = reply_extract(reply.text, subject=reply.subject).text

    flags = lines_visible(reply.lines, visible)
    hidden = [
        line
        for line, kind, shown in zip(reply.lines, reply.classes, flags, strict=True)
        if kind in "TF" and line.strip() and not shown
    ]
    assert hidden == []


def test_over_the_whole_set_all_customer_lines_are_kept_and_nine_in_ten_folded(
    capsys: pytest.CaptureFixture[str],
) -> None:
    results = replies_measure()

    current, before = results["current"], results["before"]
    with capsys.disabled():
        print(  # noqa: T201 (the figures asked for, before and after)
            f"\nreplies {results['replies']} {results['by_language']}\n"
            f"current: {current}\nbefore: {before}\n"
            f"mail-parser-reply alone: {results['mail_parser_reply_alone']}"
        )
    assert current["customer_lines"] == current["customer_lines_visible"]
    assert current["recall_customer_text_kept"] == 1.0
    assert current["fold_rate"] >= 0.9
    assert current["precision_customer_text_kept"] >= 0.95
    # The set catches the old extractor's faults (lists, inline, bottom-posted).
    assert before["recall_customer_text_kept"] < 0.9


def test_the_score_counts_hidden_and_shown_lines() -> None:
    reply = AnnotatedReply(
        name="x",
        language="fr",
        tags=(),
        subject="Re: x",
        lines=("Oui.", "", "> Non ?", "-- ", "Marie"),
        classes="TTQSS",
    )
    score = Score()

    reply_score(reply, "Oui.\n> Non ?", score)

    assert (score.customer, score.customer_visible) == (1, 1)
    assert (score.foldable, score.folded, score.visible) == (3, 2, 2)
    assert score.misses == ["x: shown Q|> Non ?"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Voici :\n- un\n- deux\n- trois", "TTTT"),
        ("Liste :\n* un\n• deux\n1. trois\n2) quatre", "TTTTT"),
        ("Le prix\n> 50 €\nest trop haut.", "TTT"),
        ("> Quelle taille ?\n> 2. Et la couleur ?\nBleu", "QQT"),
        ("Oui.\n\n--\nLe point suivant est important et je le détaille ici.", "TTTT"),
        ("Oui.\n\n-- \nMarie\n\n> Bonjour", "TTSSSQ"),  # blank joins its fold
        ("Merci\r\n\r\nEnvoyé de mon iPhone\r\n", "TTSS"),
        ("Le livreur a écrit :\ncolis chez le voisin", "TT"),
        ("Envoyé de mon bureau, je vous rappelle demain.", "T"),
        ("On 3 December I wrote:\nplease cancel it\nStill no answer.", "TTT"),
        ("Merci.\n\nMon adresse :\n12 rue des Lilas\n75011 Paris", "TTTTT"),
        ("Merci.\n\nCordialement,\nMarie\n\nRéf. commande : 48213", "TTSSTT"),
        ("Merci.\n\nJean Dupont\n06 12 34 56 78", "TTSS"),
        ("> tout est cité\n> rien d'autre", "TT"),  # nothing left: show it all
        ("", "T"),
    ],
)
def test_lines_are_classified_showing_more_when_unsure(
    text: str, expected: str
) -> None:
    assert "".join(lines_classify(text)) == expected


def test_a_forward_is_shown_and_only_the_forwarders_signature_folds() -> None:
    text = (
        "Regardez.\n\nCordialement,\nLuc\n\n"
        "---------- Forwarded message ---------\nDe : X <x@exemple.fr>\n\nTexte."
    )

    reply = reply_extract(text, subject="Fwd: Texte")

    assert reply.text == (
        "Regardez.\n\n---------- Forwarded message ---------\n"
        "De : X <x@exemple.fr>\n\nTexte."
    )
    assert reply.signature == "Cordialement,\nLuc"
    assert reply.is_quote_removed is False


def test_segments_fold_quotes_and_signature_and_lose_no_line() -> None:
    reply = BY_NAME["fr-inline-two-answers"]

    segments = reply_segments(reply.text, reply_extract(reply.text).line_kinds)

    kinds = [segment.kind for segment in segments]
    assert kinds == [
        "text",
        "quote",
        "text",
        "quote",
        "text",
        "quote",
        "text",
        "signature",
    ]
    rebuilt = [line for s in segments for line in s.text.splitlines() if line.strip()]
    assert rebuilt == [line for line in reply.lines if line.strip()]


def test_segments_show_lines_beyond_the_stored_classes() -> None:
    text = "Oui.\n> cité\nEncore une ligne du client."

    segments = reply_segments(text, "TQ")  # classes stored for a cut text

    assert [(s.kind, s.text) for s in segments] == [
        ("text", "Oui."),
        ("quote", "> cité"),
        ("text", "Encore une ligne du client."),
    ]


def test_a_huge_reply_is_classified_quickly_and_whole() -> None:
    text = (
        "\n".join(
            ["Bonjour,", "- point é"] * 5_000 + ["Le 1 déc. 2026 à 10:12, X a écrit :"]
        )
        + "\n> cité" * 20_000
    )
    started = time.perf_counter()

    kinds = lines_classify(text)

    assert time.perf_counter() - started < 5
    assert len(kinds) == len(lines_split(text))
    assert kinds.count(LineKind.TEXT) == 10_000
    assert kinds[-1] == LineKind.QUOTE
