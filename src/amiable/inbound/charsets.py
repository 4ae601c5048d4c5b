"""Decoding text whose charset is missing, wrong or unknown, as real mail has it.

A message's undeclared or mislabelled text is read with one charset chosen for the
whole message (``guess_charset``): the raw 8-bit subject, the RFC 2047 words and the
body parts together are the evidence, decoded with each candidate charset and judged
by ``text_plausibility.oddity``; a three-word subject alone says little, the body
beside it says which of KOI8-R or Big5 it was written in.
"""

from __future__ import annotations

import codecs
import math
from collections.abc import Iterable

from charset_normalizer import from_bytes

from amiable.inbound.text_plausibility import oddity

# What mail clients mean when they write these (the WHATWG encoding standard makes
# the same substitutions): iso-8859-1 text from Windows is really windows-1252.
_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "ascii",
    "ascii": "ascii",
    "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "big5": "cp950",
    "x-unknown": "",
    "unknown-8bit": "",
}
# The charsets undeclared mail comes in, with a small handicap each: windows-1252
# (the commonest here) wins a tie.
_CANDIDATES = {
    "cp1252": 0.0,
    "cp1251": 0.2,
    "koi8_r": 0.3,
    "gb18030": 0.3,
    "cp932": 0.3,
    "cp949": 0.3,
    "cp950": 0.6,
    "euc_jp": 0.6,
}
_ISO2022_ESCAPES = (b"\x1b$B", b"\x1b$@", b"\x1b(J", b"\x1b$(D", b"\x1b(I")
_ASCII_PROBE = b"From: <a.b@c.d> 0123 ~[]{}|\\\n"
_EVIDENCE_BYTES = 32_000
_SWITCH_MARGIN = 2.0
_GUESS_HANDICAP = 0.5


def _codec(declared: str | None) -> str:
    name = (declared or "").strip().strip('"').lower()
    name = _ALIASES.get(name, name)
    if not name:
        return ""
    try:
        return codecs.lookup(name).name
    except LookupError:
        return ""


def _strict(payload: bytes, codec: str) -> str | None:
    try:
        return payload.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _is_utf8(payload: bytes) -> bool:
    return _strict(payload, "utf-8") is not None


def _cut(payload: bytes) -> bytes:
    """At most ``_EVIDENCE_BYTES``, cut after an ASCII space, digit or punctuation
    (never a byte inside a multi-byte character) when there is one near the end."""
    if len(payload) <= _EVIDENCE_BYTES:
        return payload
    head = payload[:_EVIDENCE_BYTES]
    for end in range(len(head) - 1, len(head) - 4096, -1):
        if head[end] < 0x40:  # noqa: PLR2004 (below any trail byte of Asian charsets)
            return head[: end + 1]
    return head


def _iso2022(payload: bytes) -> str | None:
    if payload.isascii() and any(escape in payload for escape in _ISO2022_ESCAPES):
        return _strict(payload, "iso2022_jp_2") or _strict(payload, "iso2022_jp")
    return None


def _best(payload: bytes) -> str:
    """The candidate charset that reads ``payload`` most plausibly (the least odd
    text plus the charset's handicap; charset-normalizer's own guess joins the
    candidates with a handicap of ``_GUESS_HANDICAP``). Candidates are tried by
    rising handicap and the search stops when none left can win: clean French
    windows-1252 costs one decoding."""
    if _iso2022(payload) is not None:
        return "iso2022_jp_2"
    payload = _cut(payload)
    best: tuple[float, str] = (math.inf, "cp1252")
    guessed = False
    for codec, handicap in [*_CANDIDATES.items(), ("", math.inf)]:
        if handicap >= _GUESS_HANDICAP and not guessed:
            guessed = True
            guess = _normalizer_guess(payload) if best[0] > _GUESS_HANDICAP else ""
            if guess and guess not in _CANDIDATES:
                best = _better(best, _score(payload, guess, _GUESS_HANDICAP))
        if best[0] <= handicap:
            break
        best = _better(best, _score(payload, codec, handicap))
    return best[1]


def _better(best: tuple[float, str], other: tuple[float, str]) -> tuple[float, str]:
    """The lower score; on a tie the one tried first (the smaller handicap)."""
    return other if other[0] < best[0] else best


def _normalizer_guess(payload: bytes) -> str:
    guess = from_bytes(payload).best()
    name = _codec(guess.encoding) if guess is not None and guess.encoding else ""
    if name and _strict(_ASCII_PROBE, name) == _ASCII_PROBE.decode():
        return name
    return ""


def _score(payload: bytes, codec: str, handicap: float) -> tuple[float, str]:
    text = _strict(payload, codec)
    if text is None and len(payload) >= _EVIDENCE_BYTES:
        for shorter in (1, 2, 3):  # the cut fell inside a character
            text = _strict(payload[:-shorter], codec)
            if text is not None:
                break
    return (math.inf, codec) if text is None else (oddity(text) + handicap, codec)


def guess_charset(samples: Iterable[bytes]) -> str:
    """The one charset for the 8-bit text of a message that is neither ASCII nor
    UTF-8 (raw headers, encoded words, body parts: all of them together), or ""
    when there is none."""
    evidence = [
        _cut(sample)
        for sample in samples
        if sample and not sample.isascii() and not _is_utf8(sample)
    ]
    evidence += [sample for sample in samples if _iso2022(sample) is not None]
    if not evidence:
        return ""
    return _best(b"\n".join(evidence))


def decode_text(
    payload: bytes, declared: str | None, hint: str = ""
) -> tuple[str, str]:
    """Return the text and a note ("" when the declared charset was right).

    Valid UTF-8 wins whatever the label says (text labelled iso-8859-1 that is
    really UTF-8 is the commonest mislabelling, and real Latin-1 prose is almost
    never valid UTF-8); ISO-2022-JP is recognised by its escapes; then the declared
    charset, unless ``hint`` (the message's charset, ``guess_charset``) reads the
    text clearly better; then the hint; then the best candidate for this text
    alone; then windows-1252, which decodes anything.
    """
    codec = _codec(declared)
    if codec.startswith("iso2022") or codec in {"utf-7", "hz"}:
        text = _strict(payload, codec)
        if text is not None:  # 7-bit encodings of Asian scripts: ASCII bytes
            return text, ""
    if payload.isascii():
        text = _iso2022(payload)
        if text is not None:
            return text, _note(declared, "iso-2022-jp")
        return payload.decode("ascii"), ""
    text = _strict(payload, "utf-8")
    if text is not None:
        return text, "" if codec == "utf-8" else _note(declared, "utf-8")
    hint = hint if hint and not hint.startswith("iso2022") else ""
    if codec and codec != "utf-8":
        text = _strict(payload, codec)
        if text is not None and not _reads_better(
            payload, text, hint or _best(payload)
        ):
            return text, ""
    for guess in (hint, ""):
        guess = guess or _best(payload)
        text = _strict(payload, guess)
        if text is not None:
            return text, _note(declared, guess)
    return payload.decode("cp1252", errors="replace"), _note(declared, "cp1252")


def _reads_better(payload: bytes, declared_text: str, other: str) -> bool:
    """Whether charset ``other`` reads ``payload`` clearly better than the text the
    declared charset gave."""
    text = _strict(payload, other)
    if text is None or text == declared_text:
        return False
    before = oddity(declared_text[:_EVIDENCE_BYTES])
    after = oddity(text[:_EVIDENCE_BYTES])
    return before >= after + _SWITCH_MARGIN and before > 2 * after


def _note(declared: str | None, used: str) -> str:
    if declared:
        return f"declared {declared.strip()}, decoded as {used}"
    return f"no charset declared, decoded as {used}"


def decode_header_bytes(value: bytes, hint: str = "") -> str:
    """A raw 8-bit header value (sent without RFC 2047 encoding)."""
    text, _note_text = decode_text(value, None, hint)
    return text
