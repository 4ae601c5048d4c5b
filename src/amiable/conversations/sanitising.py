"""HTML sanitising for message bodies: keep formatting, drop scripts and trackers.

Links keep only absolute http(s) and mailto addresses (``core.safe_urls``).
Remote images are not loaded: a sender would learn when, and from which
address, an agent or a customer read the message. Each becomes a placeholder
with its description; images sent inside the message (``cid:``) stay. On the
reader's request (``show_images``) they are shown through our image proxy
(``image_proxy.py``), which fetches them without anything of the reader's.
"""

from __future__ import annotations

import html
import re

import nh3
from django.utils.translation import gettext as _

from amiable.conversations.image_proxy import image_proxy_path
from amiable.core.safe_urls import is_link_url

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "div",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
_TAG = re.compile(r"<[^>]+>")
_IMAGE_WITHOUT_SOURCE = re.compile(r"<img(?![^>]*\ssrc=)([^>]*)>")
_ALT = re.compile(r'\salt="([^"]*)"')
_BLOCK_END = re.compile(r"</(p|div|li|tr|h[1-6]|blockquote)>|<br\s*/?>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t]+")
_BLANK_LINES = re.compile(r"\n{3,}")


_REMOTE_IMAGE = re.compile(r"<img\b[^>]*\bsrc\s*=\s*[\"']?\s*https?:", re.IGNORECASE)


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        return value if is_link_url(value) else None
    if tag == "img" and attribute == "src":
        return value if value.lower().startswith("cid:") else None
    return value


def _keep_attribute_showing_images(tag: str, attribute: str, value: str) -> str | None:
    remote = value.lower().startswith(("http://", "https://"))
    if tag == "img" and attribute == "src" and remote:
        return image_proxy_path(value)
    return _keep_attribute(tag, attribute, value)


def has_remote_images(raw: str) -> bool:
    """Whether the HTML has images to fetch from elsewhere (http or https)."""
    return bool(_REMOTE_IMAGE.search(raw))


def _placeholder(match: re.Match[str]) -> str:
    alt = _ALT.search(match.group(1))
    description = html.unescape(alt.group(1)) if alt else ""
    label = _("Remote image not loaded")
    text = f"{label}: {description}" if description else label
    return f'<span class="remote-image-blocked">[{html.escape(text)}]</span>'


def sanitise_html(raw: str, *, show_images: bool = False) -> str:
    """Return HTML safe to show to agents and customers: no script, style, event
    handler or form, links to http(s) and mailto only, no remote image (unless
    ``show_images``: then through the image proxy)."""
    if not raw.strip():
        return ""
    cleaned = nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=(
            _keep_attribute_showing_images if show_images else _keep_attribute
        ),
        url_schemes={"http", "https", "mailto", "cid"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return _IMAGE_WITHOUT_SOURCE.sub(_placeholder, cleaned)


def html_to_text(raw: str) -> str:
    """A readable plain-text rendering of sanitised HTML."""
    cleaned = nh3.clean(
        raw,
        tags={
            "p",
            "div",
            "br",
            "li",
            "tr",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "blockquote",
        },
        attributes={},
    )
    with_breaks = _BLOCK_END.sub("\n", cleaned)
    text = html.unescape(_TAG.sub("", with_breaks))
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
