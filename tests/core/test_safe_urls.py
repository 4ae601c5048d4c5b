"""Only http(s) and mailto become links; remote images in mail are not loaded;
names and subjects stay on one line."""

from __future__ import annotations

import pytest
from django.utils import translation

from amiable.conversations.sanitising import sanitise_html
from amiable.core.safe_urls import is_link_url, link_url_or_empty
from amiable.core.text import single_line


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://maps.example/r/1", True),
        ("http://shop.example/orders?id=1&x=2", True),
        ("mailto:service@exemple.fr", True),
        ("HTTPS://EXAMPLE.ORG/", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(document.cookie)", False),
        (" javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("java\nscript:alert(1)", False),
        ("\x01javascript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("vbscript:msgbox(1)", False),
        ("/admin/", False),
        ("//evil.example/", False),
        ("https:///nohost", False),
        ("ftp://files.example/", False),
        ("tel:+33612345678", False),
        ("", False),
    ],
)
def test_which_urls_may_be_links(value: str, expected: bool) -> None:
    assert is_link_url(value) is expected


def test_an_unsafe_url_is_neutralised_to_nothing() -> None:
    assert link_url_or_empty("javascript:alert(1)") == ""
    assert link_url_or_empty("  https://ok.example/  ") == "https://ok.example/"


def test_sanitised_mail_keeps_only_web_and_mail_links() -> None:
    html = (
        '<p><a href="javascript:alert(1)">a</a> <a href="java&#09;script:x">b</a> '
        '<a href="/admin/">c</a> <a href="https://ok.example/?a=1&amp;b=2">d</a> '
        '<a href="mailto:x@exemple.fr">e</a></p>'
    )

    assert sanitise_html(html) == (
        '<p><a rel="noopener noreferrer nofollow">a</a> '
        '<a rel="noopener noreferrer nofollow">b</a> '
        '<a rel="noopener noreferrer nofollow">c</a> '
        '<a href="https://ok.example/?a=1&amp;b=2" rel="noopener noreferrer nofollow">'
        "d</a> "
        '<a href="mailto:x@exemple.fr" rel="noopener noreferrer nofollow">e</a></p>'
    )


def test_remote_images_become_a_placeholder_and_embedded_ones_stay() -> None:
    html = (
        '<p><img src="https://tracker.example/open.gif?u=42" alt="Logo <b>&quot;">'
        '<img src="http://tracker.example/pixel.png" width="1" height="1">'
        '<img src="cid:photo-1@exemple.fr" alt="Photo du colis">'
        '<img src="data:image/png;base64,iVBORw0KGgo=" alt="inline"></p>'
    )

    with translation.override("fr"):
        cleaned = sanitise_html(html)

    assert cleaned == (
        '<p><span class="remote-image-blocked">'
        "[Image distante non chargée: Logo &lt;b&gt;&quot;]</span>"
        '<span class="remote-image-blocked">[Image distante non chargée]</span>'
        '<img src="cid:photo-1@exemple.fr" alt="Photo du colis">'
        '<span class="remote-image-blocked">'
        "[Image distante non chargée: inline]</span></p>"
    )
    assert "tracker.example" not in cleaned


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Jean Dupont", "Jean Dupont"),
        ("Jean\r\nBcc: victim@exemple.fr", "Jean Bcc: victim@exemple.fr"),
        ("Colis\nperdu\r", "Colis perdu"),
        ("A\u2028B\x85C", "A B C"),
    ],
)
def test_single_line_turns_line_breaks_into_a_space(value: str, expected: str) -> None:
    assert single_line(value) == expected
