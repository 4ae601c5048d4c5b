"""Decoding text whose charset is missing, wrong or unknown, as real mail has it."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

# What mail clients mean when they write these (the WHATWG encoding standard makes
# the same substitutions): iso-8859-1 text from Windows is really windows-1252.
_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "ascii",
    "ascii": "ascii",
    "ks_c_5601-1987": "cp949",
    "gb2312": "gb18030",
    "x-unknown": "",
    "unknown-8bit": "",
}


def _codec(declared: str | None) -> str:
    name = (declared or "").strip().strip('"').lower()
    name = _ALIASES.get(name, name)
    if not name:
        return ""
    try:
        return codecs.lookup(name).name
    except LookupError:
        return ""


def decode_text(payload: bytes, declared: str | None) -> tuple[str, str]:
    """Return the text and a note ("" when the declared charset was right).

    Valid UTF-8 wins whatever the label says (text labelled iso-8859-1 that is
    really UTF-8 is the commonest mislabelling, and real Latin-1 prose is almost
    never valid UTF-8); then the declared charset, strictly; then
    charset-normalizer's best guess; then windows-1252, which decodes anything.
    """
    codec = _codec(declared)
    if codec.startswith("iso2022") or codec in {"utf-7", "hz"}:
        try:  # 7-bit encodings of Asian scripts: ASCII bytes, not ASCII text
            return payload.decode(codec), ""
        except UnicodeDecodeError:
            pass
    if payload.isascii():
        return payload.decode("ascii"), ""
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return text, "" if codec == "utf-8" else _note(declared, "utf-8")
    if codec and codec != "utf-8":
        try:
            return payload.decode(codec), ""
        except UnicodeDecodeError:
            pass
    western = _western(payload)
    if western is not None:
        return western, _note(declared, "cp1252")
    best = from_bytes(payload[:200_000]).best()
    if best is not None and best.encoding:
        try:
            return payload.decode(best.encoding), _note(declared, best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    return payload.decode("cp1252", errors="replace"), _note(declared, "cp1252")


def _western(payload: bytes) -> str | None:
    """windows-1252 when it reads as Western European prose (a few accented
    letters among ASCII ones), which is what unlabelled mail here mostly is."""
    try:
        text = payload.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = [char for char in text if char.isalpha()]
    accented = sum(not char.isascii() for char in letters)
    if letters and accented / len(letters) <= 0.3:
        return text
    return None


def _note(declared: str | None, used: str) -> str:
    if declared:
        return f"declared {declared.strip()}, decoded as {used}"
    return f"no charset declared, decoded as {used}"


def decode_header_bytes(value: bytes) -> str:
    """A raw 8-bit header value (sent without RFC 2047 encoding)."""
    text, _note_text = decode_text(value, None)
    return text
