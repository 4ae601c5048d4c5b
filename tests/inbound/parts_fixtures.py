# ruff: noqa: E501 (hand-written mail: one header per line reads best)
"""Hand-written messages for the parts of issue 17 that break parsing and storing:
parts the stdlib cannot re-serialise or decode (class 3), attachments declared with
the wrong type (6), an inline text part with a file name as the only body (7),
internationalised addresses (10). Written here, byte by byte, from what the failures
looked like; no third-party message is copied."""

from __future__ import annotations

import base64

JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    b"\xff\xdb\x00C\x00" + bytes(range(64)) + b"\xff\xd9"
)
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56


def _head(
    subject: str,
    mid: str,
    sender: str = "Élodie Martin <elodie.martin@exemple.fr>",
    boundary: str = "",
) -> bytes:
    lines = [
        f"From: {sender}",
        "To: Service client <support@amiable.localhost>",
        f"Subject: {subject}",
        "Date: Tue, 01 Dec 2026 09:30:00 +0100",
        f"Message-ID: <{mid}@parts.exemple.fr>",
        "MIME-Version: 1.0",
    ]
    if boundary:
        lines.append(f'Content-Type: multipart/mixed; boundary="{boundary}"')
    return "\r\n".join(lines).encode() + b"\r\n"


def _forward(inner_headers: bytes, mid: str) -> bytes:
    """An Outlook « forward as attachment »: a short note, then the message."""
    return (
        _head("TR: Problème de livraison", mid, boundary="==outlook==")
        + b"\r\n--==outlook==\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        + "Bonjour, je vous transfère le message du livreur, le colis n'est jamais arrivé.\r\n".encode()
        + b"\r\n--==outlook==\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n"
        + inner_headers
        + b"\r\nVotre colis 4521 a \xc3\xa9t\xc3\xa9 livr\xc3\xa9.\r\n"
        + b"\r\n--==outlook==--\r\n"
    )


_INNER = b"From: Livreur <suivi@livreur.exemple>\r\nTo: elodie.martin@exemple.fr\r\nSubject: Livraison 4521\r\nDate: Mon, 30 Nov 2026 18:00:00 +0100\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"
_LONG = "a1b2c3d4e5f6" * 6

# Class 3: each embedded or broken part made the stdlib raise (named in the key).
UNSERIALISABLE: dict[str, tuple[bytes, str]] = {
    # Message-ID with fullwidth brackets after an empty <>: IndexError while folding
    "fwd-fullwidth-message-id": (
        _forward(
            _INNER + f"Message-ID: <>＜{_LONG}@outlook.exemple＞\r\n".encode(), "fwd-1"
        ),
        "livré",
    ),
    # an RFC 2047 word decoding to a fullwidth bracket: UnicodeEncodeError
    "fwd-encoded-fullwidth-message-id": (
        _forward(
            _INNER
            + f"Message-ID: =?utf-8?q?=EF=BC=9C{_LONG}@outlook.exemple=EF=BC=9E?=\r\n".encode(),
            "fwd-2",
        ),
        "livré",
    ),
    # an empty <> before a long id (a script's template): IndexError too
    "fwd-empty-angle-message-id": (
        _forward(_INNER + f"Message-ID: <>{_LONG}\r\n".encode(), "fwd-3"),
        "livré",
    ),
    # 8-bit bytes in a structured header of the embedded message
    "fwd-8bit-transfer-encoding": (
        _forward(
            _INNER.replace(
                b"Content-Transfer-Encoding: 8bit",
                b"Content-Transfer-Encoding: <" + _LONG.encode() + b"@\xff>",
            )
            + b"Message-ID: <inner-4@livreur.exemple>\r\n",
            "fwd-4",
        ),
        "livré",
    ),
}

# Class 3, payloads that decode badly: the case keeps what could be read.
BROKEN_ENCODINGS: dict[str, tuple[bytes, str]] = {
    # base64 cut in the middle of a quantum (a truncated upload)
    "base64-truncated-text": (
        _head("Facture", "b64-1", boundary="b1")
        + b"\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.b64encode(b"Bonjour, ma facture est fausse, merci de la corriger.")[
            :-5
        ]
        + b"\r\n--b1--\r\n",
        "Bonjour, ma facture",
    ),
    # quoted-printable with a broken soft line break and stray =XY
    "quoted-printable-broken": (
        _head("Remboursement", "qp-1")
        + b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
        + b"J'attends mon rembourse=\r\nment depuis trois semaines =ZZ =C3=A9t=C3=A9 =\r\n",
        "remboursement depuis trois semaines",
    ),
    # the boundary declared is never used: the whole body is one text
    "boundary-never-found": (
        _head("Colis abîmé", "mime-1", boundary="declared-boundary")
        + b"\r\n--another-boundary\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nLe colis est arriv\xc3\xa9 ab\xc3\xaem\xc3\xa9.\r\n--another-boundary--\r\n",
        "abîmé",
    ),
    # the closing boundary is missing (a message cut short)
    "closing-boundary-missing": (
        _head("Retour", "mime-2", boundary="b2")
        + b"\r\n--b2\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nJe souhaite retourner l'article.\r\n--b2\r\nContent-Type: application/pdf; name=bon.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK",
        "retourner l'article",
    ),
}


def attachment_message(mid: str, parts: list[tuple[str, str, bytes]]) -> bytes:
    """A short French message with ``parts`` (declared type, file name, bytes)."""
    raw = _head("Photos du colis", mid, boundary="att") + (
        b"\r\n--att\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        + "Voici les photos du colis abîmé.\r\n".encode()
    )
    for declared, filename, content in parts:
        raw += (
            f'\r\n--att\r\nContent-Type: {declared}; name="{filename}"\r\n'
            f'Content-Disposition: attachment; filename="{filename}"\r\n'
            "Content-Transfer-Encoding: base64\r\n\r\n"
        ).encode() + base64.encodebytes(content)
    return raw + b"\r\n--att--\r\n"


def inline_named_text(
    mid: str,
    *,
    filename: str,
    body: bytes,
    charset: str = "utf-8",
    extra_parts: bytes = b"",
    disposition: str = "inline",
) -> bytes:
    """A message whose text is an inline text/plain part carrying a file name."""
    return (
        _head("Réclamation", mid, boundary="in")
        + f'\r\n--in\r\nContent-Type: text/plain; charset={charset}; name="{filename}"\r\n'.encode()
        + (
            f'Content-Disposition: {disposition}; filename="{filename}"\r\n'
            if disposition
            else ""
        ).encode()
        + b"Content-Transfer-Encoding: 8bit\r\n\r\n"
        + body
        + b"\r\n"
        + extra_parts
        + b"--in--\r\n"
    )


def utf8_address_message(
    sender: str, mid: str, to: str = "support@amiable.localhost"
) -> bytes:
    """RFC 6532: the address itself in UTF-8, raw in the header."""
    return (
        f"From: {sender}\r\nTo: {to}\r\nSubject: Commande 778\r\n"
        f"Date: Tue, 01 Dec 2026 09:30:00 +0100\r\nMessage-ID: <{mid}@parts.exemple.fr>\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        "Bonjour, où en est ma commande 778 ?\r\n"
    ).encode()
