"""Separating what a customer just wrote from the quoted history and signature, and
showing the folded parts back on demand.

``reply_lines`` classifies every line; here the visible text is built from the
customer's lines (a forwarded message is visible too: it is what the customer wants
us to read) and the folded parts are grouped for display. Nothing is deleted: the
full text and one class letter per line are kept on the interaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from amiable.inbound import reply_patterns as patterns
from amiable.inbound.reply_lines import (
    VISIBLE_KINDS,
    LineKind,
    lines_classify,
    lines_split,
)

_BLANK_RUNS = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class Reply:
    text: str  # what the sender wrote now (and what they forwarded)
    signature: str
    is_trimmed: bool  # quoted history or a signature was folded
    is_quote_removed: bool = False  # quoted history (not only a signature)
    line_kinds: str = ""  # one LineKind letter per line of the text


@dataclass(frozen=True)
class Segment:
    """Consecutive lines shown together: visible text, or one fold."""

    kind: str  # "text", "quote", "signature" or "quote_signature"
    text: str

    @property
    def is_folded(self) -> bool:
        return self.kind != "text"


def is_forwarded(*, subject: str, text: str) -> bool:
    return bool(
        patterns.FORWARD_SUBJECT.match(subject)
        or any(patterns.FORWARD_MARKER.match(line) for line in lines_split(text))
    )


def _visible(lines: list[str], kinds: list[LineKind]) -> str:
    kept: list[str] = []
    for line, kind in zip(lines, kinds, strict=True):
        if kind in VISIBLE_KINDS:
            kept.append(line.rstrip())
        elif kept and kept[-1]:
            kept.append("")  # a fold between two paragraphs
    return _BLANK_RUNS.sub("\n\n", "\n".join(kept)).strip()


def reply_extract(text: str, *, subject: str = "") -> Reply:
    """The latest reply of ``text``: the customer's lines visible, quotes, reply
    headers and signatures folded (``line_kinds`` says which line is which)."""
    if not text.strip():
        return Reply(text="", signature="", is_trimmed=False)
    forward = is_forwarded(subject=subject, text=text)
    lines = lines_split(text)
    kinds = lines_classify(text, is_forward=forward)
    visible = _visible(lines, kinds)
    signature = "\n".join(
        line for line, kind in zip(lines, kinds, strict=True) if kind == "S"
    )
    is_trimmed = any(
        kind not in VISIBLE_KINDS and line.strip()
        for line, kind in zip(lines, kinds, strict=True)
    )
    return Reply(
        text=visible if is_trimmed else "\n".join(lines).strip(),
        signature=signature.strip(),
        is_trimmed=is_trimmed,
        is_quote_removed=any(kind in {"Q", "H"} for kind in kinds),
        line_kinds="".join(kinds),
    )


def _fold_kind(kinds: set[str]) -> str:
    if kinds <= {"S"}:
        return "signature"
    return "quote_signature" if "S" in kinds else "quote"


def reply_segments(
    text: str, line_kinds: str = "", *, subject: str = ""
) -> list[Segment]:
    """``text`` cut into visible and folded segments. ``line_kinds`` as stored
    (classified again when missing: messages stored before the classifier); lines
    beyond it are shown, never folded."""
    lines = lines_split(text)
    kinds = line_kinds or "".join(
        lines_classify(text, is_forward=is_forwarded(subject=subject, text=text))
    )
    segments: list[Segment] = []
    group: list[str] = []
    group_kinds: set[str] = set()
    is_folded = False
    for index, line in enumerate(lines):
        kind = kinds[index] if index < len(kinds) else "T"
        folded = kind not in VISIBLE_KINDS
        if group and folded != is_folded:
            segments.append(_segment(group, group_kinds, is_folded=is_folded))
            group, group_kinds = [], set()
        group.append(line)
        group_kinds.add(kind)
        is_folded = folded
    if group:
        segments.append(_segment(group, group_kinds, is_folded=is_folded))
    return [segment for segment in segments if segment.text]


def _segment(lines: list[str], kinds: set[str], *, is_folded: bool) -> Segment:
    text = "\n".join(line.rstrip() for line in lines).strip("\n")
    return Segment(kind=_fold_kind(kinds) if is_folded else "text", text=text)
