"""What to do when the stdlib ``email`` package cannot re-serialise or decode a part.

Real mail breaks the stdlib in places no parser option avoids: re-serialising an
embedded message whose Message-ID has non-ASCII brackets (``<>＜…＞``, folded by the
header parser: IndexError), an RFC 2047 word that decodes to such a bracket
(UnicodeEncodeError), an unclosed ``<`` in a long address (AttributeError), 8-bit
bytes in a structured header, a transfer encoding the decoder cannot undo. Each
function here tries the stdlib first, then falls back to the bytes as they came, so
a broken part costs a note, never the message.

A ``PartProblem`` says which part could not be read in full and what broke; the
parser keeps them on ``ParsedEmail.unreadable`` and processing puts them on the
interaction's metadata, where the timeline shows them.
"""

from __future__ import annotations

import base64
import binascii
import logging
import quopri
import re
from dataclasses import dataclass
from email import errors, policy
from email.message import Message
from email.parser import BytesParser

from amiable.inbound.charsets import decode_header_bytes

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PartProblem:
    part: str  # the content type (and file name) of the part
    error: str  # the exception's class name: "IndexError", "binascii.Error"...

    def as_dict(self) -> dict[str, str]:
        return {"part": self.part, "error": self.error}


def _label(part: Message) -> str:
    try:
        kind = part.get_content_type()
    except Exception:  # noqa: BLE001 (a header the stdlib cannot read)
        kind = "unknown"
    try:
        name = part.get_filename() or ""
    except Exception:  # noqa: BLE001
        name = ""
    return f"{kind} {name}".strip()[:200]


def raw_header_items(message: Message) -> list[tuple[str, str]]:
    """The (name, value) pairs as read: compat32 keeps 8-bit bytes as surrogates
    there, and turns them into U+FFFD on every other access."""
    items: list[tuple[str, str]] = getattr(message, "_headers", [])
    return [(str(name), str(value)) for name, value in items]


def _raw_headers(message: Message) -> bytes:
    """The headers as they came (8-bit bytes go back to what they were)."""
    lines = []
    for name, value in raw_header_items(message):
        text = f"{name}: {value}"
        lines.append(text.encode("utf-8", "surrogateescape"))
    return b"\r\n".join(lines) + b"\r\n\r\n"


def _raw_payload(message: Message) -> bytes:
    payload = message.get_payload()
    if isinstance(payload, list):
        return b"\r\n".join(
            _raw_headers(item) + _raw_payload(item)
            for item in payload
            if isinstance(item, Message)
        )
    if isinstance(payload, bytes):
        return payload
    return str(payload or "").encode("utf-8", "surrogateescape")


def message_bytes(
    message: Message, problems: list[PartProblem], label: str = ""
) -> bytes:
    """``message`` serialised for storing (an embedded message as an .eml): the
    SMTP policy first, then compat32 (which re-folds nothing), then the headers and
    payload as read."""
    try:
        return message.as_bytes(policy=policy.SMTP)
    except Exception as exc:  # noqa: BLE001 (stdlib bugs on broken headers)
        problems.append(
            PartProblem(part=label or _label(message), error=type(exc).__name__)
        )
    try:
        return message.as_bytes(policy=policy.compat32)  # headers as they came
    except Exception as exc:  # noqa: BLE001 (the next fallback reads less)
        logger.info("compat32 re-serialising failed: %s", type(exc).__name__)
    try:
        return _raw_headers(message) + _raw_payload(message)
    except Exception as exc:  # noqa: BLE001 (the text is all that is left)
        logger.info("raw re-serialising failed: %s", type(exc).__name__)
    return str(message.get_payload()).encode("utf-8", "replace")


def _lenient_base64(data: bytes) -> bytes:
    """What decodes of broken base64: characters outside the alphabet dropped,
    the last incomplete quantum cut."""
    alphabet = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    kept = bytes(byte for byte in data if byte in alphabet)
    kept = kept[: len(kept) - len(kept) % 4]
    try:
        return base64.b64decode(kept)
    except (binascii.Error, ValueError):
        return b""


def _undecoded_base64(part: Message) -> bool:
    """compat32 hands back the base64 text itself when it cannot decode it, with
    this defect on the part."""
    return any(
        isinstance(defect, errors.InvalidBase64LengthDefect)
        for defect in getattr(part, "defects", [])
    )


def _transfer_encoding(part: Message) -> str:
    try:
        return str(part.get("content-transfer-encoding", "") or "").strip().lower()
    except Exception:  # noqa: BLE001
        return ""


def part_payload(part: Message, problems: list[PartProblem]) -> bytes | None:
    """The decoded payload of a leaf part (None for a multipart): the stdlib's
    decoding, or, when it raises or hands back undecoded base64, what can be read
    of the payload."""
    encoding = _transfer_encoding(part)
    try:
        payload = part.get_payload(decode=True)
    except Exception as exc:  # noqa: BLE001 (broken transfer encoding)
        problems.append(PartProblem(part=_label(part), error=type(exc).__name__))
        raw = _raw_payload(part)
        if encoding == "base64":
            return _lenient_base64(raw)
        if encoding == "quoted-printable":
            return quopri.decodestring(raw)
        return raw
    if not isinstance(payload, bytes):
        return None
    if encoding == "base64" and payload and _undecoded_base64(part):
        problems.append(PartProblem(part=_label(part), error="binascii.Error"))
        return _lenient_base64(payload)
    return payload


def safe(call: object, default: str = "") -> str:
    """``call()`` as a string, or ``default`` when a broken header makes it raise."""
    try:
        value = call()  # type: ignore[operator]
    except Exception:  # noqa: BLE001 (a header the stdlib cannot read)
        return default
    return str(value) if value is not None else default


def raw_part_bytes(part: Message) -> bytes:
    """A part's payload as it came (no decoding), for a part nothing else reads."""
    try:
        return _raw_payload(part)
    except Exception:  # noqa: BLE001
        return b""


# Defects the parser records when a part is broken in a way that loses text.
_LOSSY_DEFECTS = (
    errors.StartBoundaryNotFoundDefect,
    errors.CloseBoundaryNotFoundDefect,
    errors.NoBoundaryInMultipartDefect,
    errors.InvalidBase64LengthDefect,
)


def lossy_defects(message: Message, problems: list[PartProblem]) -> None:
    """Note the parts the parser read only in part (a missing boundary, a message
    cut short, base64 that does not decode)."""
    for part in message.walk():
        for defect in getattr(part, "defects", []):
            if isinstance(defect, _LOSSY_DEFECTS):
                problems.append(
                    PartProblem(part=_label(part), error=type(defect).__name__)
                )


_DELIMITER = re.compile(rb"^--([ -~]{1,70}?)[ \t]*\r?$", re.MULTILINE)


def repair_boundary(message: Message, raw: bytes) -> bool:
    """A multipart message (``raw`` its bytes) whose declared boundary is never
    used (the parser keeps its body as one string, 8-bit bytes replaced): parse
    the body again with the first delimiter line it has. Returns True when
    ``message`` now has its parts."""
    payload = message.get_payload()
    if message.get_content_maintype() != "multipart" or not isinstance(payload, str):
        return False
    normalised = raw.replace(b"\r\n", b"\n")
    body = normalised.split(b"\n\n", 1)[1] if b"\n\n" in normalised else b""
    found = _DELIMITER.search(body)
    if found is None:
        return False
    boundary = found.group(1).decode("ascii").removesuffix("--")
    head = f'Content-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n'
    try:
        reparsed = BytesParser(policy=policy.compat32).parsebytes(head.encode() + body)
    except Exception:  # noqa: BLE001
        return False
    parts = reparsed.get_payload()
    if not isinstance(parts, list) or not parts:
        return False
    message.set_payload(parts)
    message.set_boundary(boundary)
    return True


def raw_filename(part: Message) -> str:
    """The file name of a part whose header carries raw 8-bit bytes (which the
    stdlib replaces with U+FFFD): read as UTF-8 (RFC 6532), else by detection."""
    for name in ("content-disposition", "content-type"):
        for header, value in raw_header_items(part):
            if header.lower() != name:
                continue
            raw = str(value).encode("utf-8", "surrogateescape")
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = decode_header_bytes(raw)
            probe = Message()
            probe[name] = text
            found = probe.get_param("filename", header=name) or probe.get_param(
                "name", header=name
            )
            if isinstance(found, str) and found:
                return found
    return ""
