"""The reply extractor as it was before the line classifier (frozen copy, for the
before/after figures of ``bench/replies.py``; not used by the product).

Separating what a customer just wrote from the quoted history and signature.

mail-parser-reply finds the French and English reply headers (« Le … a écrit : »,
"On … wrote:", Outlook's "De : … Envoyé : …") and signatures; a few separators it
does not know (Outlook's "-----Message d'origine-----", the underscore rule, mobile
signatures) are cut here too. Forwarded messages are left whole: the forwarded part is
what the customer wants us to read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mailparser_reply import EmailReplyParser

_PARSER = EmailReplyParser(languages=["fr", "en"])
_EXTRA_CUTS = re.compile(
    r"^\s*(?:"
    r"-{2,}\s*(?:Message d'origine|Original Message|Message original)\s*-{2,}"
    r"|_{20,}"
    r"|(?:Envoyé de mon|Sent from my)\s+\S+.*"
    r"|Envoyé depuis\s+\S+.*"
    r"|Get Outlook for \S+.*"
    r")\s*$",
    re.IGNORECASE | re.MULTILINE,
)
# Reply headers on one line that the library may miss (no address on the line).
_REPLY_HEADER = re.compile(
    r"^[ \t>]*(?:Le|On)\s[^\n]{4,200}?(?:a\s+écrit|wrote)\s*:\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_QUOTED_TAIL = re.compile(r"\n(?:[ \t]*>[^\n]*(?:\n|$)|[ \t]*\n)+\Z")
_FORWARD_MARKERS = re.compile(
    r"^\s*(?:-{3,}\s*(?:Forwarded message|Message transféré|Message transfere"
    r"|Original Message transféré)\s*-{3,}"
    r"|Begin forwarded message:"
    r"|Début du message (?:réexpédié|transféré)\s*:)",
    re.IGNORECASE | re.MULTILINE,
)
_FORWARD_SUBJECT = re.compile(r"^\s*(?:fwd?|tr|transf)\s*:", re.IGNORECASE)


@dataclass(frozen=True)
class Reply:
    text: str  # what the sender wrote now
    signature: str
    is_trimmed: bool  # quoted history or a signature was removed
    is_quote_removed: bool = False  # quoted history (not only a signature)


def is_forwarded(*, subject: str, text: str) -> bool:
    return bool(_FORWARD_SUBJECT.match(subject) or _FORWARD_MARKERS.search(text))


def reply_extract(text: str) -> Reply:
    """The latest reply of ``text`` without quotes and signature."""
    if not text.strip():
        return Reply(text="", signature="", is_trimmed=False)
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        parsed = _PARSER.read(normalised)
        first = parsed.replies[0] if parsed.replies else None
        body = first.body if first is not None else normalised
        signature = (first.signatures or "") if first is not None else ""
    except Exception:  # a third-party parser must never lose the text
        body, signature = normalised, ""
    for pattern in (_EXTRA_CUTS, _REPLY_HEADER):
        cut = pattern.search(body)
        if cut is not None:
            body = body[: cut.start()]
    tail = _QUOTED_TAIL.search(body)
    if tail is not None:
        body = body[: tail.start()]
    body = body.strip()
    whole = normalised.strip()
    if not body:  # everything looked quoted: keep the whole message
        return Reply(text=whole, signature="", is_trimmed=False)
    signature = signature.strip()
    return Reply(
        text=body,
        signature=signature,
        is_trimmed=body != whole,
        is_quote_removed=len(whole) > len(body) + len(signature) + 8,
    )


def legacy_visible(*, subject: str, text: str) -> str:
    """What the old ``_body`` showed: a forward whole, else the extracted reply."""
    if is_forwarded(subject=subject, text=text):
        return text
    return reply_extract(text).text


def library_visible(*, subject: str, text: str) -> str:
    """mail-parser-reply alone: the body of its first reply."""
    del subject
    try:
        parsed = _PARSER.read(text)
    except Exception:  # noqa: BLE001 (measured as "everything shown")
        return text
    return parsed.replies[0].body if parsed.replies else text
