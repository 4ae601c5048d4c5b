"""A yardstick for reply stripping, independent of its rules: the sentences and list
items a customer wrote above the history must all be in the visible text.

Used by the corpus checker (``corpus_check``) on every stored inbound e-mail. It
is deliberately blunter than ``reply_lines``: it does not try to find every customer
line, only the ones no reader could do without (a sentence, a list item), and skips
what may be a signature, so a line it reports is surely hidden customer text.
"""

from __future__ import annotations

import re

from amiable.inbound import reply_patterns as patterns
from amiable.inbound.reply_lines import lines_split

_END_PUNCTUATION = re.compile(r"[.!?:;,…»)]$")


def _is_history_start(lines: list[str], index: int) -> bool:
    """Outlook's header block or a separator: below is the quoted history."""
    text = lines[index].strip()
    if patterns.HISTORY_SEPARATOR.match(text):
        return True
    if patterns.OUTLOOK_FROM.match(text):
        below = [line.strip() for line in lines[index + 1 : index + 4]]
        return any(patterns.OUTLOOK_SENT.match(line) for line in below)
    return False


def _attribution_span(lines: list[str], index: int) -> int:
    """How many lines (1 to 3, wrapped) the attribution at ``index`` takes, or 0."""
    for span in (1, 2, 3):
        chunk = [line.strip() for line in lines[index : index + span]]
        if len(chunk) < span or not all(chunk):
            return 0
        joined = " ".join(chunk)
        if patterns.ATTRIBUTION_END.search(joined):
            evidence = patterns.ATTRIBUTION_EVIDENCE.search(joined)
            return span if evidence and not joined.startswith(">") else 0
    return 0


def _is_sentence(text: str) -> bool:
    """A list item, a question, or words ending like a sentence: surely written."""
    if patterns.LIST_ITEM.match(text) or patterns.POSTSCRIPT.match(text):
        return True
    if patterns.PHONE.search(text) or patterns.CONTACT.search(text):
        return False  # contact details: may be a signature
    words = len(text.split())
    return (
        text.endswith("?")
        or words >= 9
        or (words >= 4 and bool(_END_PUNCTUATION.search(text)))
    )


def customer_lines_required(text: str) -> list[str]:
    """The lines of ``text`` a reader must see: sentences and list items that are
    not quoted, not below a reply header without quotes, not in a signature."""
    lines = [line.replace("\u00a0", " ") for line in lines_split(text)]
    has_quotes_below = [False] * (len(lines) + 1)
    for index in range(len(lines) - 1, -1, -1):
        has_quotes_below[index] = has_quotes_below[index + 1] or lines[
            index
        ].lstrip().startswith(">")
    required: list[str] = []
    in_notice = False
    index = -1
    while index + 1 < len(lines):
        index += 1
        text = lines[index].strip()
        if not text:
            in_notice = False
            continue
        if patterns.FORWARD_MARKER.match(text) or _is_history_start(lines, index):
            break
        span = _attribution_span(lines, index)
        if span:
            if not has_quotes_below[index + span]:
                break  # the history follows without « > »
            index += span - 1
            continue
        # Quoted lines, and signature lines (a sentence after one is required).
        in_notice = in_notice or bool(patterns.DISCLAIMER.search(text))
        if text.startswith(">") or in_notice or not _is_sentence(text):
            continue
        if patterns.MOBILE_SIGNATURE.match(text) or patterns.CLOSING.match(text):
            continue
        required.append(text)
    return required


def hidden_customer_lines(original: str, visible: str) -> list[str]:
    """The lines of ``original`` a reader must see (``customer_lines_required``)
    that ``visible`` does not show."""
    shown = {_spaced(line) for line in lines_split(visible)}
    return [
        line for line in customer_lines_required(original) if _spaced(line) not in shown
    ]


def _spaced(line: str) -> str:
    """``line`` with its runs of white space (no-break spaces included: HTML mail
    turns ``&nbsp;`` into U+00A0 on one side only) as one space."""
    return " ".join(line.split())
