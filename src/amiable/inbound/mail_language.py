"""The language of an email (French or English): its Content-Language header, else
a count of the commonest words of each language in its text."""

from __future__ import annotations

import re
from email.message import Message

from amiable.inbound.mail_headers import header_value

_FRENCH_WORDS = frozenset(
    [
        "bonjour",
        "merci",
        "je",
        "vous",
        "est",
        "les",
        "pas",
        "une",
        "mon",
        "ma",
        "commande",
        "colis",
        "cordialement",
        "pour",
        "avec",
        "été",
    ]
)


_ENGLISH_WORDS = frozenset(
    [
        "hello",
        "thanks",
        "thank",
        "the",
        "you",
        "is",
        "my",
        "order",
        "not",
        "with",
        "regards",
        "please",
        "and",
        "have",
        "your",
        "will",
        "to",
        "of",
        "from",
        "this",
        "that",
        "it",
        "was",
    ]
)


def _french_score(text: str) -> int:
    words = re.findall(r"[a-zàâçéèêëîïôûùüÿœ']+", text.lower()[:4000])
    french = sum(word in _FRENCH_WORDS for word in words)
    return french - sum(word in _ENGLISH_WORDS for word in words)


def mail_language(message: Message, text: str) -> str:
    declared = header_value(message, "content-language").lower()[:2]
    if declared in {"fr", "en"}:
        return declared
    return "fr" if _french_score(text) >= 0 else "en"
