"""Replies written in Markdown: rendered by markdown-it-py (CommonMark, raw HTML
disabled, plus tables and strikethrough), then sanitised like any message body.
The Markdown source is the plain-text part: it reads well as it is."""

from __future__ import annotations

from markdown_it import MarkdownIt

from amiable.conversations.sanitising import sanitise_html

_RENDERER = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
    ["table", "strikethrough"]
)


def markdown_html(text: str) -> str:
    """Sanitised HTML of the Markdown ``text`` ("" for a blank text)."""
    if not text.strip():
        return ""
    return sanitise_html(_RENDERER.render(text))
