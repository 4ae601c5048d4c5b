"""The text of an HTML-only e-mail with its ``<blockquote>`` lines marked « > », so
reply stripping can tell an answer written between quotes from the quotes (the
plain rendering of ``conversations.sanitising.html_to_text`` drops the marks, and
an inline answer below a reply header would be taken for history)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from amiable.conversations.sanitising import html_to_text

_BLOCKS = frozenset(
    {"p", "div", "li", "tr", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6"}
)
_HIDDEN = frozenset({"script", "style", "head", "title", "template"})
_SPACES = re.compile(r"\s+")


class _QuoteMarker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.hidden = 0
        self.lines: list[tuple[int, str]] = [(0, "")]

    def _break(self) -> None:
        self.lines.append((self.depth, ""))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag == "blockquote":
            self._break()
            self.depth += 1
            self._break()
        elif tag == "br" or tag in _BLOCKS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag == "blockquote":
            self._break()
            self.depth = max(0, self.depth - 1)
            self._break()
        elif tag in _BLOCKS:
            self._break()

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        depth, text = self.lines[-1]
        if not text.strip():
            depth = self.depth  # a line belongs to the quote it starts in
        self.lines[-1] = (depth, text + data)


def html_quoted_text(html: str) -> str:
    """``html`` as plain text, each line inside ``<blockquote>`` prefixed with one
    « > » per level; blank lines collapsed to one."""
    parser = _QuoteMarker()
    parser.feed(html)
    parser.close()
    rendered: list[str] = []
    for depth, raw in parser.lines:
        text = _SPACES.sub(" ", raw.replace("\u00a0", " ")).strip()
        if not text:
            if rendered and rendered[-1]:
                rendered.append("")
            continue
        rendered.append(f"{'>' * depth} {text}" if depth else text)
    return "\n".join(rendered).strip()


def reply_source(*, text: str, html: str) -> str:
    """The text reply stripping reads: ``text``, or, when it is only the rendering
    of ``html`` (no text/plain part), that HTML with its quotes marked « > »."""
    if html.strip() and text == html_to_text(html):
        marked = html_quoted_text(html)
        if any(line.startswith(">") for line in marked.splitlines()):
            return marked
    return text
