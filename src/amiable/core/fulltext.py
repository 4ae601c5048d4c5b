"""Full-text search shared by every app: user text to a safe FTS5 or tsquery query.

Search runs on SQLite's FTS5 (virtual tables kept in sync by triggers, tokenizer
``unicode61 remove_diacritics 2``) and on PostgreSQL's ``tsvector`` (GIN indexes over
``to_tsvector('simple', amiable_fold(...))``, where ``amiable_fold`` is an immutable
SQL function created by ``customers.0002`` that lower-cases, strips Latin accents and
turns ASCII punctuation into spaces). The tables, triggers and indexes live in the
``0002_*fulltext`` migrations of customers, cases and conversations.

User text is never passed to the FTS syntax as typed: it is cut into whitespace
separated terms, each term into words (letters and digits), and rebuilt as quoted
phrases (FTS5) or bound parameters (PostgreSQL). Every term must match (AND); a term
ending with ``*`` is a prefix. Quotes, operators (``NEAR``, ``-``, ``OR``), accents
and emoji therefore never raise: at worst they match nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TypeVar

from django.db import connection, models
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

ModelT = TypeVar("ModelT", bound=models.Model)

MAX_TEXT_LENGTH = 500
MAX_TERMS = 12
_WORD = re.compile(r"[^\W_]+")

# Index expression on PostgreSQL: the migrations and the queries must spell it alike.
PG_CONFIG = "'simple'"


@dataclass(frozen=True)
class SearchTerm:
    """One whitespace-separated piece of the user's text, as its words."""

    words: tuple[str, ...]
    is_prefix: bool


def search_terms(text: str) -> list[SearchTerm]:
    """Cut ``text`` into terms of words; drop pieces without a letter or digit."""
    normalised = unicodedata.normalize("NFKC", text)[:MAX_TEXT_LENGTH]
    terms: list[SearchTerm] = []
    for chunk in normalised.split():
        words = tuple(_WORD.findall(chunk))
        if words:
            terms.append(SearchTerm(words=words, is_prefix=chunk.endswith("*")))
    return terms[:MAX_TERMS]


def fts5_match(terms: list[SearchTerm]) -> str:
    """An FTS5 MATCH expression: each term a quoted phrase, ``*`` kept for prefixes.

    Words hold only letters and digits, so they cannot close the quotes.
    """
    phrases = []
    for term in terms:
        phrase = '"' + " ".join(term.words) + '"'
        phrases.append(phrase + "*" if term.is_prefix else phrase)
    return " ".join(phrases)


def pg_tsquery(terms: list[SearchTerm]) -> tuple[str, list[str]]:
    """A PostgreSQL tsquery expression (SQL with ``%s`` placeholders) and its params.

    Words go through the same ``amiable_fold`` as the indexed documents; the last
    word of a prefix term becomes ``'word':*``.
    """
    parts: list[str] = []
    params: list[str] = []
    for term in terms:
        plain = term.words[:-1] if term.is_prefix else term.words
        if plain:
            parts.append(f"plainto_tsquery({PG_CONFIG}, amiable_fold(%s))")
            params.append(" ".join(plain))
        if term.is_prefix:
            parts.append(
                f"to_tsquery({PG_CONFIG}, quote_literal(amiable_fold(%s)) || ':*')"
            )
            params.append(term.words[-1])
    return "(" + " && ".join(parts) + ")", params


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def matching_ids(*, sqlite_sql: str, postgresql_sql: str, text: str) -> RawSQL | None:
    """A subquery of the ids whose document matches ``text``, or None for no terms.

    ``sqlite_sql`` has one ``%s`` for the MATCH string; ``postgresql_sql`` has one
    ``{query}`` slot for the tsquery expression.
    """
    terms = search_terms(text)
    if not terms:
        return None
    if is_postgresql():
        tsquery, params = pg_tsquery(terms)
        # Both SQL texts are constants of the search modules; user words are params.
        return RawSQL(postgresql_sql.format(query=tsquery), params)  # noqa: S611
    return RawSQL(sqlite_sql, [fts5_match(terms)])  # noqa: S611


def filter_by_match(queryset: QuerySet[ModelT], ids: RawSQL | None) -> QuerySet[ModelT]:
    """Keep the rows whose primary key is in ``ids``; none when there were no terms."""
    if ids is None:
        return queryset.none()
    return queryset.filter(pk__in=ids)
