"""Each line of an e-mail reply classified: the customer's own text, a quoted line, a
reply header, a signature line, or part of a forwarded message.

The rule that matters: a line the customer wrote is never folded. Quoted lines
(« > »), the history below a reply header and signatures are folded; a line the rules
are not sure about stays visible (« when unsure, show more »): a « - » list is text,
« -- » followed by sentences is text, a lone « > 50 € » is text.
"""

from __future__ import annotations

from enum import StrEnum

from amiable.inbound import reply_patterns as patterns

MAX_SIGNATURE_LINES = 12


class LineKind(StrEnum):
    TEXT = "T"
    QUOTE = "Q"
    HEADER = "H"
    SIGNATURE = "S"
    FORWARDED = "F"


VISIBLE_KINDS = frozenset({LineKind.TEXT, LineKind.FORWARDED})


def lines_split(text: str) -> list[str]:
    """The lines of ``text`` whatever its line endings."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _plain(line: str) -> str:
    return line.replace("\u00a0", " ").strip()


def _is_quote(line: str) -> bool:
    return line.lstrip().startswith(">")


def _attribution_end(lines: list[str], index: int) -> int | None:
    """The index after the attribution (« Le … a écrit : », 1 to 3 lines) starting
    at ``index``, or None."""
    first = _plain(lines[index])
    if not first or _is_quote(first):
        return None
    for span in (1, 2, 3):
        chunk = lines[index : index + span]
        if len(chunk) < span or not all(_plain(line) for line in chunk):
            return None
        joined = " ".join(_plain(line) for line in chunk)
        if patterns.ATTRIBUTION_END.search(joined):
            opened = patterns.ATTRIBUTION_START.match(first) or (
                span == 1 and "@" in joined
            )
            evidence = patterns.ATTRIBUTION_EVIDENCE.search(joined)
            return index + span if opened and evidence and len(joined) <= 300 else None
    return None


def _outlook_block_end(lines: list[str], index: int) -> int | None:
    """The index after Outlook's « De : / Envoyé : / Objet : » block starting at
    ``index``, or None."""
    if not patterns.OUTLOOK_FROM.match(_plain(lines[index])):
        return None
    has_sent = False
    for position in range(index + 1, min(index + 12, len(lines))):
        line = _plain(lines[position])
        if not line:
            return None
        has_sent = has_sent or bool(patterns.OUTLOOK_SENT.match(line))
        if patterns.OUTLOOK_SUBJECT.match(line):
            return position + 1 if has_sent else None
    return None


def _fields_end(lines: list[str], index: int) -> int:
    """The index after the header fields (« De : », « Objet : »…) from ``index``."""
    while index < len(lines) and (
        patterns.OUTLOOK_FROM.match(_plain(lines[index]))
        or patterns.OUTLOOK_FIELD.match(_plain(lines[index]))
    ):
        index += 1
    return index


def _next_content(lines: list[str], index: int) -> int | None:
    for position in range(index, len(lines)):
        if _plain(lines[position]):
            return position
    return None


def _history_start(
    lines: list[str], *, is_forward: bool
) -> tuple[int, int, bool] | None:
    """Where an unprefixed history (or a forwarded message) begins: (first line,
    end of its header, is forwarded). Everything from there down is not the
    customer's answer."""
    index = 0
    while index < len(lines):
        line = _plain(lines[index])
        if patterns.FORWARD_MARKER.match(line):
            return index, index + 1, True
        if is_forward and _is_quote(line):
            return index, index, True
        if patterns.HISTORY_SEPARATOR.match(line):
            following = _next_content(lines, index + 1)
            block = _outlook_block_end(lines, following) if following else None
            if block is not None or any(char.isalpha() for char in line):
                # « -----Message d'origine----- » opens the history by itself.
                return index, block or _fields_end(lines, index + 1), is_forward
        block = _outlook_block_end(lines, index)
        if block is not None:
            return index, block, is_forward
        attribution = _attribution_end(lines, index)
        if attribution is not None:
            following = _next_content(lines, attribution)
            if is_forward or following is None or not _is_quote(lines[following]):
                joined = " ".join(lines[index:attribution])
                if is_forward or patterns.ATTRIBUTION_STRONG.search(joined):
                    return index, attribution, is_forward
            index = attribution
            continue
        index += 1
    return None


def _is_signature_line(line: str) -> bool:
    """Whether ``line`` may belong to a signature block (names, titles, contact
    details, legal notices), not to a sentence the customer wrote."""
    text = _plain(line)
    if not text:
        return True
    if patterns.LIST_ITEM.match(text) or patterns.POSTSCRIPT.match(text):
        return False
    if patterns.DISCLAIMER.search(text):
        return True
    if patterns.PHONE.search(text) or patterns.CONTACT.search(text):
        return len(text) <= 120
    words = len(text.split())
    if text.endswith("?") or words > 8:
        return False
    if patterns.SENTENCE.search(text) and words > 4:
        return False
    return len(text) <= 70


def _signature_block(lines: list[str], run: list[int], start: int) -> list[int]:
    """The lines of ``run`` from ``start`` (an opener) down that are signature
    lines, stopping at the first sentence; a disclaimer's paragraph is taken whole."""
    block = [run[start]]
    in_notice = False
    for position in range(start + 1, len(run)):
        index = run[position]
        text = _plain(lines[index])
        if not text and not _paragraph_continues(lines, run, position, block):
            break
        in_notice = (in_notice and bool(text)) or bool(patterns.DISCLAIMER.search(text))
        if not in_notice and not _is_signature_line(text):
            break
        if len([i for i in block if _plain(lines[i])]) > MAX_SIGNATURE_LINES:
            break
        block.append(index)
    while block and not _plain(lines[block[-1]]):
        block.pop()
    return block


def _paragraph_continues(
    lines: list[str], run: list[int], position: int, block: list[int]
) -> bool:
    """Whether the signature goes on past the blank line at ``position``: right
    after the opener (the name follows), or when the next paragraph has contact
    details or a legal notice (« Réf. commande : 48213 » after a blank is not)."""
    if sum(1 for index in block if _plain(lines[index])) < 2:
        return True
    paragraph: list[str] = []
    for index in run[position + 1 :]:
        text = _plain(lines[index])
        if not text and paragraph:
            break
        if text:
            paragraph.append(text)
    return any(
        patterns.PHONE.search(text)
        or patterns.CONTACT.search(text)
        or patterns.DISCLAIMER.search(text)
        or patterns.MOBILE_SIGNATURE.match(text)
        for text in paragraph
    )


def _contact_block(lines: list[str], run: list[int]) -> list[int]:
    """A name and contact lines closing the run after a blank line, without any
    « -- » or closing formula (Outlook business signatures)."""
    content = [index for index in run if _plain(lines[index])]
    if len(content) < 3:
        return []
    tail: list[int] = []
    for index in reversed(content):
        if tail and index != tail[-1] - 1:
            break
        tail.append(index)
    tail.reverse()
    if not 2 <= len(tail) <= 8 or tail[0] == content[0]:
        return []
    texts = [_plain(lines[index]) for index in tail]
    has_contact = any(
        patterns.PHONE.search(text) or patterns.CONTACT_STRONG.search(text)
        for text in texts
    )
    is_named = bool(patterns.NAME.match(texts[0]))
    if has_contact and is_named and all(_is_signature_line(text) for text in texts):
        return tail
    return []


def _run_signatures(lines: list[str], run: list[int]) -> set[int]:
    """The signature lines of one run of unquoted lines."""
    folded = {
        index for index in run if patterns.MOBILE_SIGNATURE.match(_plain(lines[index]))
    }
    has_opener = False
    position = 0
    while position < len(run):
        text = _plain(lines[run[position]])
        is_dashes = bool(patterns.SIGNATURE_DASHES.match(text))
        if run[position] not in folded and (is_dashes or patterns.CLOSING.match(text)):
            block = _signature_block(lines, run, position)
            if not is_dashes or any(_plain(lines[index]) for index in block[1:]):
                folded.update(block)
                has_opener = True
                position += len(block)
                continue
        position += 1
    if not has_opener:
        folded.update(_contact_block(lines, run))
    return folded


def _runs(kinds: list[LineKind | None], end: int) -> list[list[int]]:
    runs: list[list[int]] = [[]]
    for index in range(end):
        if kinds[index] is None:
            runs[-1].append(index)
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if run]


def _mark_quotes(lines: list[str], kinds: list[LineKind | None], end: int) -> None:
    """Quoted lines and the attributions above them, down to ``end``."""
    index = 0
    while index < end:
        if _is_quote(lines[index]):
            kinds[index] = LineKind.QUOTE
            index += 1
            continue
        attribution = _attribution_end(lines, index)
        following = _next_content(lines, attribution) if attribution else None
        if (
            attribution is not None
            and attribution <= end
            and following is not None
            and _is_quote(lines[following])
        ):  # an attribution heads quoted lines; else it is the customer's words
            kinds[index:attribution] = [LineKind.HEADER] * (attribution - index)
            index = attribution
            continue
        index += 1
    for index in range(end):  # a lone « > 50 € » is the customer's own
        before = lines[index - 1] if index else ""
        after = lines[index + 1] if index + 1 < len(lines) else ""
        if (
            kinds[index] == LineKind.QUOTE
            and patterns.OWN_COMPARISON.match(lines[index])
            and not _is_quote(before)
            and not _is_quote(after)
            and (index == 0 or kinds[index - 1] != LineKind.HEADER)
        ):
            kinds[index] = None


def _fill_blanks(lines: list[str], kinds: list[LineKind | None]) -> list[LineKind]:
    """A blank line between two folded lines (or after the last) is folded with
    them; any other unclassified line is the customer's text."""
    filled: list[LineKind] = []
    previous: LineKind | None = None  # the kind of the last line with content
    for index, kind in enumerate(kinds):
        if kind is None and not _plain(lines[index]):
            following = _next_content(lines, index)
            after = kinds[following] or LineKind.TEXT if following is not None else None
            is_inside_fold = previous is not None and previous not in VISIBLE_KINDS
            if is_inside_fold and (after is None or after not in VISIBLE_KINDS):
                filled.append(previous)  # type: ignore[arg-type]
            else:
                filled.append(LineKind.TEXT)
            continue
        filled.append(kind or LineKind.TEXT)
        if _plain(lines[index]):
            previous = filled[-1]
    return filled


def lines_classify(text: str, *, is_forward: bool = False) -> list[LineKind]:
    """One kind per line of ``text`` (``lines_split``). ``is_forward``: the subject
    says the message is forwarded, so the history below is shown, not folded."""
    lines = lines_split(text)
    kinds: list[LineKind | None] = [None] * len(lines)
    end = len(lines)
    start = _history_start(lines, is_forward=is_forward)
    if start is not None:
        end, header_end, is_forwarded = start
        for index in range(end, len(lines)):
            if is_forwarded:
                kinds[index] = LineKind.FORWARDED
            else:
                kinds[index] = LineKind.HEADER if index < header_end else LineKind.QUOTE
    _mark_quotes(lines, kinds, end)
    for run in _runs(kinds, end):
        for index in _run_signatures(lines, run):
            kinds[index] = LineKind.SIGNATURE
    filled = _fill_blanks(lines, kinds)
    if not any(
        kind in VISIBLE_KINDS and _plain(line)
        for kind, line in zip(filled, lines, strict=True)
    ):  # nothing left to read: show it all
        return [LineKind.TEXT] * len(lines)
    return filled
