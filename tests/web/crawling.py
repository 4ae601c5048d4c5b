"""A small crawler for the web tests: follows the internal links of the pages a client
sees, GET only, bounded (``limit`` pages, ``PER_SHAPE`` URLs of each shape), and
reports what it finds: server errors, broken links, links to pages the client is
refused, duplicate ids, a wrong ``<html lang>``; and the POST forms of each page.

Untranslated text: a role crawls once in French and once in English, and each page
both crawls reached is compared (``untranslated_pages``). A piece of text (a text
node, a ``title``/``placeholder``/``aria-label``/``alt`` attribute, or a button's
``value``) that reads the same in both languages is a suspect; it is flagged when it
is one of our English msgids whose French msgstr differs (gettext ran outside the
request's language, or the catalogue is not looked up), or when it is made of words
that only our English UI uses (words of the English msgids that no French msgstr
contains: hard-coded English); the same the other way round for French left on
English pages. Dates and amounts written the other language's way are flagged too.
Data (names, subjects, message bodies) reads the same in both languages: every text
value stored in the database is taken out first, and so is what an element marked
``translate="no"`` holds, so only the interface is judged.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import polib
from django.apps import apps
from django.conf import settings
from django.db import models
from django.http.response import HttpResponseBase
from django.test import Client

# Never followed: they change state on GET or leave the staff UI (the admin is
# Django's own, translated by Django; the API speaks JSON).
SKIPPED_PREFIXES = (
    "/logout/",
    "/portal/sign-out/",
    "/admin/",
    "/api/",
    "/i18n/",
    "/static/",
    "/media/",
)
# Fetched for their status, never parsed (downloads).
DOWNLOAD_PATTERNS = (re.compile(r"^/attachments/"), re.compile(r"\.csv$"))
TEXT_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
WORD = re.compile(r"[A-Za-zÀ-ÿ]+(?:'[a-z]+)?")
PER_SHAPE = 2  # URLs of the same shape (digits and query values apart) crawled


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int
    referrer: str


@dataclass
class CrawlReport:
    language: str
    pages: list[Fetched] = field(default_factory=list)
    server_errors: list[Fetched] = field(default_factory=list)
    broken_links: list[Fetched] = field(default_factory=list)
    forbidden_links: list[Fetched] = field(default_factory=list)
    defects: dict[str, list[str]] = field(default_factory=dict)
    html: dict[str, str] = field(default_factory=dict)
    texts: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok_pages(self) -> list[str]:
        return [page.url for page in self.pages if page.status == 200]


class _PageParser(HTMLParser):
    """Links (``href``, ``hx-get``) and the texts a reader sees or hears, less those
    of elements marked ``translate="no"`` (an email as received, say)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.texts: list[str] = []
        self.ids: list[str] = []
        self.language = ""
        self._hidden_depth = 0
        self._opaque: list[list[str | int]] = []  # [tag, depth] of translate="no"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if values.get("id"):
            self.ids.append(values["id"])
        if tag == "html":
            self.language = values.get("lang", "")
        for name in ("href", "hx-get"):
            if values.get(name):
                self.links.append(values[name])
        if self._opaque and self._opaque[-1][0] == tag:
            self._opaque[-1][1] = int(self._opaque[-1][1]) + 1
        elif values.get("translate") == "no":
            self._opaque.append([tag, 1])
        if tag in {"script", "style", "template"}:
            self._hidden_depth += 1
        if self._opaque:
            return
        for name in TEXT_ATTRIBUTES:
            if values.get(name):
                self.texts.append(values[name])
        if tag == "input" and values.get("type") in {"submit", "button"}:
            self.texts.append(values.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "template"} and self._hidden_depth:
            self._hidden_depth -= 1
        if self._opaque and self._opaque[-1][0] == tag:
            self._opaque[-1][1] = int(self._opaque[-1][1]) - 1
            if not self._opaque[-1][1]:
                self._opaque.pop()

    def handle_data(self, data: str) -> None:
        if not self._hidden_depth and not self._opaque:
            self.texts.append(data)


def page_parse(html: str) -> tuple[list[str], list[str]]:
    """The links of a page and the texts it shows."""
    parser = _PageParser()
    parser.feed(html)
    texts = [" ".join(text.split()) for text in parser.texts]
    return parser.links, [text for text in texts if text]


@dataclass
class PageForm:
    """A ``<form method="post">`` of a page: where it goes and what it sends."""

    action: str
    fields: dict[str, str] = field(default_factory=dict)
    typed: set[str] = field(default_factory=set)  # what a person types in

    def emptied(self) -> dict[str, str]:
        """What it sends when submitted with every typed-in field left empty."""
        return {
            name: "" if name in self.typed else v for name, v in self.fields.items()
        }


class _FormParser(HTMLParser):
    TYPED = {"text", "email", "number", "date", "datetime-local", "tel", "url", ""}

    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.forms: list[PageForm] = []
        self._form: PageForm | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        name = values.get("name", "")
        if tag == "form":
            action = normalise(values.get("action") or self.base, self.base)
            if values.get("method", "get").lower() == "post" and action:
                self._form = PageForm(action)
                self.forms.append(self._form)
            return
        if self._form is None or not name:
            return
        if tag == "input":
            kind = values.get("type", "").lower()
            if kind in {"checkbox", "radio"} and "checked" not in values:
                return
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            self._form.fields[name] = values.get("value", "")
            if kind in self.TYPED:
                self._form.typed.add(name)
        elif tag == "textarea":
            self._form.fields[name] = ""
            self._form.typed.add(name)
        elif tag == "select":
            self._select = name
            self._form.fields.setdefault(name, "")
        elif (
            tag == "option"
            and self._select
            and ("selected" in values or not self._form.fields[self._select])
        ):
            self._form.fields[self._select] = values.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def page_forms(html: str, base: str) -> list[PageForm]:
    """The POST forms of a page whose action is internal (logout apart)."""
    parser = _FormParser(base)
    parser.feed(html)
    return parser.forms


def page_defects(html: str, language: str) -> list[str]:
    """What is wrong with a page whatever its words: ids used twice (a label, an
    htmx target or a skip link then finds the wrong element), and an ``<html lang>``
    that is not the language the page is in (a full page only, not a fragment)."""
    parser = _PageParser()
    parser.feed(html)
    twice = sorted(name for name, count in Counter(parser.ids).items() if count > 1)
    defects = [f"id {name!r} is used more than once" for name in twice]
    if "<html" in html[:500] and parser.language != language:
        defects.append(f"<html lang={parser.language!r}> on a page in {language}")
    return defects


def _words(text: str) -> set[str]:
    return {word.lower() for word in WORD.findall(text)}


@dataclass(frozen=True)
class Catalogues:
    """What our French catalogues say: the msgids translated differently, and the
    words only one side uses."""

    translated_msgids: frozenset[str]  # msgids whose French differs
    translations: frozenset[str]  # and that French
    sources: frozenset[str]  # every msgid
    targets: frozenset[str]  # every msgstr
    english_only_words: frozenset[str]
    french_only_words: frozenset[str]

    @classmethod
    def load(cls) -> Catalogues:
        msgids: set[str] = set()
        msgstrs: set[str] = set()
        sources: set[str] = set()
        targets: set[str] = set()
        english: set[str] = set()
        french: set[str] = set()
        for locale_dir in settings.LOCALE_PATHS:
            po = Path(locale_dir) / "fr" / "LC_MESSAGES" / "django.po"
            for entry in polib.pofile(str(po)):
                if not entry.msgstr and not entry.msgstr_plural:
                    continue
                french_forms = [entry.msgstr, *entry.msgstr_plural.values()]
                english_forms = [entry.msgid, entry.msgid_plural]
                french.update(*(_words(form) for form in french_forms))
                english.update(*(_words(form) for form in english_forms if form))
                sources.add(" ".join(entry.msgid.split()))
                targets.add(" ".join(entry.msgstr.split()))
                if entry.msgstr and entry.msgstr != entry.msgid:
                    msgids.add(" ".join(entry.msgid.split()))
                    msgstrs.add(" ".join(entry.msgstr.split()))
        # Placeholders (%(name)s) and short words say nothing either way.
        return cls(
            translated_msgids=frozenset(msgids),
            translations=frozenset(msgstrs),
            sources=frozenset(sources),
            targets=frozenset(targets),
            english_only_words=frozenset(w for w in english - french if len(w) > 2),
            french_only_words=frozenset(w for w in french - english if len(w) > 2),
        )


def stored_texts() -> set[str]:
    """Every text value in the database (names, subjects, labels of data), whole and
    line by line."""
    found: set[str] = set()
    for model in apps.get_models():
        fields = [
            item.name
            for item in model._meta.concrete_fields
            if isinstance(item, models.CharField | models.TextField)
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for value in row:
                if isinstance(value, str) and value:
                    found.add(" ".join(value.split()))
                    found.update(" ".join(line.split()) for line in value.splitlines())
    return {value for value in found if len(value) > 3}


def _without_data(text: str, data: set[str]) -> str:
    """``text`` less the stored values it shows (a name, a subject, a message body
    it quotes, or the part of one it shows cut short with an ellipsis)."""
    if text in data:
        return ""
    stem = text.rstrip("…").strip()
    if len(stem) >= 12 and any(stem in value for value in data):
        return ""
    for value in sorted((v for v in data if v in text), key=len, reverse=True):
        text = text.replace(value, " ")
    return text


@dataclass(frozen=True)
class Untranslated:
    english_on_french: set[str]
    french_on_english: set[str]


# Dates and amounts written the other language's way.
ENGLISH_FORMATS = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\.? \d|\b[ap]\.m\.|"
    r"[€$£]\s?\d|\d,\d{3}\.\d"
)
FRENCH_FORMATS = re.compile(
    r"\b(?:janv|févr|avr|juil|déc)\.|\b\d{1,2} (?:mai|juin|août) \d|"
    r"\d,\d{2}\s?€"
)


def untranslated_texts(
    french: Iterable[str],
    english: Iterable[str],
    catalogues: Catalogues,
    data: set[str],
) -> Untranslated:
    """Texts that read the same on the French and the English page and belong to one
    language of our interface, and dates or amounts written the other language's
    way (see the module docstring)."""
    french_texts, english_texts = set(french), set(english)
    same = french_texts & english_texts
    on_french: set[str] = set()
    on_english: set[str] = set()
    for text in same:
        rest = _without_data(text, data)
        words = _words(rest)
        if not words:
            continue
        # "Type" is the French of "Kind" and English too: only a text that is one
        # side's and not the other's says which language is missing.
        if text in catalogues.translated_msgids and text not in catalogues.targets:
            on_french.add(text)
        elif text in catalogues.translations and text not in catalogues.sources:
            on_english.add(text)
        elif _mostly(words, catalogues.english_only_words):
            on_french.add(text)
        elif _mostly(words, catalogues.french_only_words):
            on_english.add(text)
    on_french.update(
        text
        for text in french_texts
        if ENGLISH_FORMATS.search(_without_data(text, data))
    )
    on_english.update(
        text
        for text in english_texts
        if FRENCH_FORMATS.search(_without_data(text, data))
    )
    return Untranslated(on_french, on_english)


def _mostly(words: set[str], vocabulary: frozenset[str]) -> bool:
    found = words & vocabulary
    return len(found) * 2 > len(words) or len(found) >= 3


def shape(url: str) -> str:
    parts = urlsplit(url)
    path = re.sub(r"\d+", "<n>", parts.path)
    path = re.sub(r"/[A-Za-z0-9_:.-]{24,}/", "/<token>/", path)
    keys = sorted({key for key, _value in parse_qsl(parts.query)})
    return f"{path}?{'&'.join(keys)}"


def normalise(href: str, base: str) -> str | None:
    """The internal URL ``href`` points to (path and query), or None."""
    href = href.strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(href)
    if parts.scheme and parts.scheme not in {"http", "https"}:
        return None
    if parts.netloc and parts.netloc != "testserver":
        return None
    path = parts.path
    if not path:
        path = urlsplit(base).path
    elif not path.startswith("/"):
        path = base.rsplit("/", 1)[0] + "/" + path
    if path.startswith(SKIPPED_PREFIXES):
        return None
    query = urlencode(sorted(parse_qsl(parts.query)))
    return f"{path}?{query}" if query else path


def _is_html(response: HttpResponseBase) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


def crawl(
    client: Client,
    start: Iterable[str],
    *,
    language: str,
    limit: int = 120,
) -> CrawlReport:
    """Breadth-first over the internal links ``client`` is shown, from ``start``,
    asking for pages in ``language`` (the portal answers in the customer's own)."""
    report = CrawlReport(language=language)
    queue: deque[tuple[str, str]] = deque((url, "") for url in start)
    seen: set[str] = set()
    shapes: dict[str, int] = {}
    while queue and len(report.pages) < limit:
        url, referrer = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        key = shape(url)
        if shapes.get(key, 0) >= PER_SHAPE:
            continue
        shapes[key] = shapes.get(key, 0) + 1
        response = client.get(url, headers={"accept-language": language})
        fetched = Fetched(url, response.status_code, referrer)
        report.pages.append(fetched)
        if response.status_code >= 500:
            report.server_errors.append(fetched)
        elif response.status_code == 404:
            report.broken_links.append(fetched)
        elif response.status_code == 403:
            report.forbidden_links.append(fetched)
        elif response.status_code in {301, 302, 303, 307, 308}:
            target = normalise(response["Location"], url)
            if target:
                queue.append((target, url))
        elif _is_html(response) and not any(
            pattern.search(url.split("?")[0]) for pattern in DOWNLOAD_PATTERNS
        ):
            html = response.content.decode()
            report.html[url] = html
            links, report.texts[url] = page_parse(html)
            if defects := page_defects(html, language):
                report.defects[url] = defects
            queue.extend(
                (target, url)
                for target in (normalise(link, url) for link in links)
                if target and target not in seen
            )
    return report


def untranslated_pages(
    french: CrawlReport, english: CrawlReport, catalogues: Catalogues, data: set[str]
) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Per page both crawls reached: English left on the French page, and French
    left on the English page."""
    on_french: dict[str, set[str]] = {}
    on_english: dict[str, set[str]] = {}
    for url in french.texts.keys() & english.texts.keys():
        found = untranslated_texts(
            french.texts[url], english.texts[url], catalogues, data
        )
        if found.english_on_french:
            on_french[url] = found.english_on_french
        if found.french_on_english:
            on_english[url] = found.french_on_english
    return on_french, on_english


# Codes shown where a label exists: snake_case slugs (``waiting_customer``) and
# dotted rule codes (``FR.MED.OUTCOME_90D``).
SLUG = re.compile(r"(?<![\w@./:-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@/-])")
RULE_CODE = re.compile(r"\b[A-Z]{2,}(?:\.[A-Z0-9_]+){2,}\b")


def choice_codes() -> frozenset[str]:
    """The stored values of our models' choices whose label reads differently (a
    page showing one of them shows a code, not its label)."""
    codes: set[str] = set()
    # Choices kept outside a field too (a call's outcome in an interaction's metadata).
    pending: list[type[models.TextChoices]] = list(models.TextChoices.__subclasses__())
    while pending:
        choices = pending.pop()
        pending += choices.__subclasses__()
        if choices.__module__.startswith("amiable."):
            codes.update(
                value
                for value, label in choices.choices
                if value and value != str(label)
            )
    for model in apps.get_models():
        if not model.__module__.startswith("amiable."):
            continue
        for item in model._meta.get_fields():
            for value, label in getattr(item, "flatchoices", None) or []:
                if isinstance(value, str) and value and value != str(label):
                    codes.add(value)
    return frozenset(codes)


TEMPLATE_VARIABLE = re.compile(r"\{\{[^}]*\}\}")  # macro help: "{{ first_name }}"


def raw_codes(
    texts: Iterable[str],
    codes: frozenset[str],
    data: set[str],
    interface: frozenset[str],
) -> set[str]:
    """The texts of a page that show a raw code: a whole text that is a choice's
    stored value (and no text of our interface, ``interface`` being our msgids), a
    snake_case slug or a dotted rule code; stored data and the variables a macro
    may use apart."""
    found: set[str] = set()
    for text in texts:
        rest = TEMPLATE_VARIABLE.sub(" ", _without_data(text, data))
        whole = rest.strip()
        if (whole in codes and whole not in interface) or (
            SLUG.search(rest) or RULE_CODE.search(rest)
        ):
            found.add(text)
    return found
