"""An HTML-only reply: its ``<blockquote>`` lines are marked « > » for reply
stripping, so the answers written between quotes stay visible."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from amiable.conversations.models import Direction, Interaction
from amiable.inbound.html_quotes import html_quoted_text, reply_source
from amiable.inbound.services import email_ingest

INLINE = (
    "<html><head><style>p { color: red }</style></head><body>"
    "<div>Le 1 déc. 2026 à 10:12, Service client &lt;support@amiable.localhost&gt; "
    "a écrit&nbsp;:</div><blockquote><p>Quelle taille ?</p></blockquote>"
    "<div>42</div><blockquote>Quelle couleur ?<blockquote>Bleu ?</blockquote>"
    "</blockquote><div>Bleu marine, s'il vous plaît.</div></body></html>"
)


def test_blockquote_lines_are_marked_by_level() -> None:
    assert html_quoted_text(INLINE) == (
        "Le 1 déc. 2026 à 10:12, Service client <support@amiable.localhost> "
        "a écrit :\n\n> Quelle taille ?\n\n42\n\n> Quelle couleur ?\n\n>> Bleu ?"
        "\n\nBleu marine, s'il vous plaît."
    )


@pytest.mark.parametrize(
    ("text", "html", "expected"),
    [
        ("Oui\n> cité", "<p>Oui</p><blockquote>cité</blockquote>", "Oui\n> cité"),
        ("", "", ""),
        ("Merci", "<p>Merci</p>", "Merci"),  # no quote: the text as it was
    ],
)
def test_the_text_part_is_read_when_there_is_one(
    text: str, html: str, expected: str
) -> None:
    assert reply_source(text=text, html=html) == expected


@pytest.mark.django_db
def test_an_html_only_inline_reply_keeps_its_answers_visible() -> None:
    message = EmailMessage()
    message["From"] = "Élodie Martin <elodie.martin@exemple.fr>"
    message["To"] = "support@amiable.localhost"
    message["Subject"] = "Re: Taille"
    message.set_content(INLINE, subtype="html")

    email_ingest(raw=message.as_bytes(), source="smtp")

    stored = Interaction.objects.get(direction=Direction.INBOUND)
    assert stored.body_text == "42\n\nBleu marine, s'il vous plaît."
    assert stored.body_html == ""
    assert "> Quelle taille ?" in stored.metadata["full_text"]
    assert stored.metadata["reply_lines"] == "HHQTTTQQQTT"
