"""Does a stored text look like mojibake? What the corpus checker asks of every
subject and body (``corpus_check``), independent of how the parser decoded them.

Signs, each enough: replacement characters (U+FFFD); UTF-8 read as windows-1252
(« Ã© » for « é »); a script changing inside words (« reГue »); letters of an
unrelated script among the text's own (Han in Cyrillic text); text that, encoded back
to one charset and decoded with another, reads much better (KOI8-R read as
windows-1252, GB18030 read as EUC-KR...).
"""

from __future__ import annotations

import re

from amiable.inbound.text_plausibility import (
    main_script,
    oddity,
    script_breaks,
    scripts_unrelated,
    stray_letters,
)

_CHECKED_CHARS = 5_000
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{2,}")
_CODECS = ("cp1252", "cp1251", "koi8_r", "gb18030", "cp932", "cp949", "cp950")
_MIN_ODDITY = 4.0
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _utf8_as_single_byte(text: str) -> str:
    for match in _NON_ASCII_RUN.finditer(text):
        run = match.group()
        for codec in ("cp1252", "latin-1"):
            try:
                repaired = run.encode(codec).decode("utf-8")
            except UnicodeError:
                continue
            return f"UTF-8 read as {codec}: {run!r} for {repaired!r}"
    return ""


def _reads_better(text: str) -> str:
    before = oddity(text)
    if before < _MIN_ODDITY:
        return ""
    for source in _CODECS:
        try:
            data = text.encode(source)
        except UnicodeError:
            continue
        for target in _CODECS:
            if target == source:
                continue
            try:
                after = oddity(data.decode(target))
            except UnicodeError:
                continue
            if after * 3 <= before:
                return f"reads better as {target} than as {source}"
    return ""


def mojibake_signs(text: str) -> str:
    """Why ``text`` looks like mojibake, or "" when it reads as text."""
    text = text[:_CHECKED_CHARS]
    if _CONTROLS.search(text):
        return "control characters (undecoded escapes?)"
    if text.isascii():
        return ""
    if "\ufffd" in text:
        return "replacement characters (U+FFFD)"
    found = _utf8_as_single_byte(text)
    if found:
        return found
    breaks = script_breaks(text)
    if breaks >= 2:  # noqa: PLR2004
        return f"{breaks} words mixing unrelated scripts"
    stray = stray_letters(text)
    if stray >= 3:  # noqa: PLR2004
        return f"{stray} letters of a script unrelated to the rest of the text"
    odd = oddity(text)
    foreign = sum(not char.isascii() for char in text)
    if odd >= _MIN_ODDITY and odd >= foreign:
        return "mostly rare, unassigned or misplaced characters"
    return _reads_better(text)


def message_mojibake_signs(subject: str, body: str) -> str:
    """``mojibake_signs`` of the subject, then of the body, then whether they are
    written in unrelated scripts (a Han subject over a Cyrillic body)."""
    for where, text in (("subject", subject), ("body", body)):
        why = mojibake_signs(text)
        if why:
            return f"{where}: {why}"
    first, second = main_script(subject), main_script(body[:_CHECKED_CHARS])
    if scripts_unrelated(first, second):
        return f"a {first.lower()} subject over a {second.lower()} body"
    return ""
