"""Reading the headers of a raw email: Message-IDs, the sender, a content
fingerprint for messages without an id, and header values decoded through the
charset repair (raw 8-bit, RFC 2047 words with a missing or lying charset, UTF-8
addresses as RFC 6532 has them). Used by ``parsing`` and by the ingestion ledger,
which reads a message's headers before (or without) parsing its body."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from email import policy
from email.errors import HeaderParseError
from email.header import decode_header
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime

from amiable.inbound.charsets import decode_header_bytes, decode_text
from amiable.inbound.salvage import raw_header_items

_PARSER = BytesParser(policy=policy.compat32)
_SURROGATES = re.compile("[\udc80-\udcff]")
_MESSAGE_ID = re.compile(r"<([^<>\s]{1,250})>")


def message_ids_in(value: str) -> list[str]:
    """The ``<id>`` tokens of a Message-ID, In-Reply-To or References header."""
    found = _MESSAGE_ID.findall(value or "")
    if not found and value and value.strip() and " " not in value.strip():
        found = [value.strip().strip("<>")]  # a bare id without brackets
    return [item for item in found if item]


def content_fingerprint(raw: bytes) -> str:
    """A hash of what identifies a message without Message-ID: sender, recipients,
    date, subject and body, ignoring the trace headers each hop adds and line
    endings, so the same message received by two paths hashes the same."""
    normalised = raw.replace(b"\r\n", b"\n")
    head, _sep, body = normalised.partition(b"\n\n")
    wanted = {b"from", b"to", b"cc", b"date", b"subject"}
    kept: list[bytes] = []
    for line in re.split(rb"\n(?![ \t])", head):
        name, _colon, value = line.partition(b":")
        if name.strip().lower() in wanted:
            kept.append(name.strip().lower() + b":" + b" ".join(value.split()))
    digest = hashlib.sha256()
    digest.update(b"\n".join(sorted(kept)))
    digest.update(b"\n\n")
    digest.update(b"\n".join(line.rstrip() for line in body.strip().split(b"\n")))
    return digest.hexdigest()


def header_block(raw: bytes) -> Message | None:
    """The headers of ``raw`` alone (the body is not read); None when broken."""
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    try:
        return _PARSER.parsebytes(head, headersonly=True)
    except Exception:  # noqa: BLE001 (a broken header: treated as missing)
        return None


def header_sender(raw: bytes) -> str:
    """A hash of the From address of ``raw`` (headers only): what tells two
    messages that reuse one Message-ID apart."""
    message = header_block(raw)
    try:
        values = (
            [str(value) for value in message.get_all("from", [])] if message else []
        )
        pairs = getaddresses(values)
        sender = pairs[0][1].strip().lower() if pairs else ""
    except Exception:  # noqa: BLE001 (a broken header: treated as missing)
        sender = ""
    return hashlib.sha256(sender.encode("utf-8", "replace")).hexdigest()


def header_message_id(raw: bytes) -> str:
    """The Message-ID of ``raw`` without parsing the body ("" when missing)."""
    message = header_block(raw)
    try:
        value = str(message.get("message-id") or "") if message else ""
    except Exception:  # noqa: BLE001 (a broken header: treated as missing)
        return ""
    ids = message_ids_in(value)
    return ids[0] if ids else ""


def raw_header(raw: bytes, name: str) -> bytes | None:
    """The raw value of header ``name`` (unfolded) when it carries 8-bit bytes."""
    head = raw.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
    pattern = re.compile(
        rb"^" + re.escape(name.encode()) + rb":[ \t]*(.*(?:\n[ \t].*)*)",
        re.IGNORECASE | re.MULTILINE,
    )
    match = pattern.search(head)
    if match is None or match.group(1).isascii():
        return None
    return b" ".join(match.group(1).split(b"\n"))


def decode_words(value: str, hint: str = "") -> str:
    """A header value with its RFC 2047 encoded words decoded (any charset, right
    or wrong: through ``decode_text``, ``hint`` the message's charset)."""
    if "=?" not in value:
        return value
    try:
        chunks = decode_header(value)
    except (HeaderParseError, ValueError):
        return value
    texts: list[str] = []
    for chunk, charset in chunks:
        if isinstance(chunk, str):
            texts.append(chunk)
        elif charset:
            texts.append(decode_text(chunk, charset, hint)[0])
        else:  # the words between encoded ones keep their own spaces
            texts.append(chunk.decode("ascii", "replace"))
    return "".join(texts)


def header_raw(message: object, name: str) -> str:
    """The header's raw value, unfolded ("" when missing)."""
    if not isinstance(message, Message):
        return ""
    value = message.get(name)
    return " ".join(str(value).split()) if value is not None else ""


def header_value(message: object, name: str) -> str:
    """The header's value, unfolded, encoded words decoded."""
    return decode_words(header_raw(message, name))


def header_text(message: Message, raw: bytes, name: str, hint: str = "") -> str:
    value = decode_words(header_raw(message, name), hint)
    if "\ufffd" in value or _SURROGATES.search(value) or "\x1b" in value:
        raw_value = raw_header(raw, name) or escaped_header(message, name)
        if raw_value is not None:
            return " ".join(decode_header_bytes(raw_value, hint).split())
    return value


def escaped_header(message: Message, name: str) -> bytes | None:
    """The value of a 7-bit header carrying ISO-2022-JP escapes, unencoded."""
    value = header_raw(message, name)
    return value.encode() if "\x1b" in value and value.isascii() else None


def utf8_header(value: str) -> str:
    """A header value with raw 8-bit bytes (kept as surrogates by compat32) read as
    UTF-8, as RFC 6532 has them (``élodie@exemple.fr``), else by detection."""
    if not _SURROGATES.search(value):
        return value
    raw = value.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return decode_header_bytes(raw)


def address_normalised(address: str) -> str:
    """An address lower-cased; a UTF-8 one that a mailer without SMTPUTF8 sent in
    RFC 2047 words (``=?utf-8?q?=C3=A9lodie?=@exemple.fr``, as Python's own
    generator writes it) decoded: the same person as ``élodie@exemple.fr``."""
    address = address.strip()
    if "=?" in address:
        local, _at, domain = address.rpartition("@")
        address = f"{decode_words(local)}@{decode_words(domain)}"
    return address.lower()


def header_addresses(message: Message, name: str) -> list[tuple[str, str]]:
    values = [
        utf8_header(str(value))
        for header, value in raw_header_items(message)
        if header.lower() == name
    ]
    pairs = getaddresses(values)
    return [
        (decode_words(display).strip(), address_normalised(address))
        for display, address in pairs
        if "@" in address and " " not in address.strip()
    ]


def header_date(message: Message) -> dt.datetime | None:
    raw_date = header_value(message, "date")
    if not raw_date:
        return None
    try:
        parsed = parsedate_to_datetime(raw_date)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed
