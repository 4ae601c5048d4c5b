"""Every page works, for every role, in French and English.

On a small demo data set (``amiable demo`` at a fiftieth of its scale), each staff
role logs in and follows every internal link it is shown from the inbox and the
navigation (see tests/web/crawling.py): no page fails, no link is broken, no French
page shows English of our interface. The pages a higher role reaches are refused
(403/404) to lower roles unless their own crawl reaches the same view, never
failing, and every form they are shown, sent with its typed-in fields empty, is
answered without failing. A customer crawls the portal through a signed link (with
a survey and a confirmation link), an anonymous visitor the sign-in pages. (With no
data at all, every list page shows its empty state: test_crawl_empty.py.)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import resolve, reverse
from pytest_django import DjangoDbBlocker

from amiable.accounts.models import User
from amiable.customers.models import Customer
from amiable.customers.services import customer_update
from amiable.demo.loader import demo_load
from amiable.feedback.signing import token_make
from amiable.portal.signing import LinkPage, link_token_make
from amiable.quality.links import confirmation_path
from tests.factories.feedback import SurveyFactory
from tests.factories.quality import ConfirmationFactory
from tests.portal.conftest import portal_session_key
from tests.web.crawling import (
    Catalogues,
    CrawlReport,
    PageForm,
    choice_codes,
    crawl,
    page_forms,
    raw_codes,
    shape,
    stored_texts,
    untranslated_pages,
)

DEMO_SCALE = 0.02
STAFF = {
    "agent": "agent",
    "supervisor": "superviseur",
    "quality_manager": "qualite",
    "admin": "admin",
}
LANGUAGES = ["fr", "en"]
# Pages each crawl reaches at least (a crawl that stopped at the inbox proves little).
MIN_PAGES = {"agent": 30, "supervisor": 35, "quality_manager": 35, "admin": 35}
MIN_PORTAL_PAGES = 6
MIN_FORMS = {"agent": 10, "admin": 15}


@pytest.fixture(scope="module")
def media_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("crawl-media")


@pytest.fixture(autouse=True)
def _module_media(media_root: Path) -> Iterator[None]:
    """The demo's stored emails stay readable by every test of the module."""
    with override_settings(MEDIA_ROOT=media_root):
        yield


@pytest.fixture(scope="module")
def demo(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker, media_root: Path
) -> Iterator[dict[str, int]]:
    """The demo data set, loaded once for the module and rolled back after it."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root),
        transaction.atomic(),
    ):
        demo_load(scale=DEMO_SCALE, progress=False)
        yield {
            name: User.objects.get(username=login).pk for name, login in STAFF.items()
        }
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def catalogues() -> Catalogues:
    return Catalogues.load()


def _staff_client(user_id: int | None) -> Client:
    client = Client(raise_request_exception=False)
    if user_id is not None:
        client.force_login(User.objects.get(pk=user_id))
    return client


def _start() -> list[str]:
    return [reverse("cases:inbox"), reverse("web:home")]


_CRAWLS: dict[tuple[str, str], CrawlReport] = {}


def _staff_crawl(demo: dict[str, int], role: str, language: str) -> CrawlReport:
    """One crawl per role and language for the module (a role's pages are read by
    more than one test)."""
    key = (role, language)
    if key not in _CRAWLS:
        _CRAWLS[key] = crawl(_staff_client(demo[role]), _start(), language=language)
    return _CRAWLS[key]


def _problems(
    reports: list[CrawlReport], catalogues: Catalogues, data: set[str]
) -> list[str]:
    """What is wrong with the pages of a French and an English crawl, one line each."""
    lines: list[str] = []
    for report in reports:
        lines += [f"5xx {p.url} (from {p.referrer})" for p in report.server_errors]
        lines += [f"404 {p.url} (from {p.referrer})" for p in report.broken_links]
        lines += [
            f"403 {p.url} is linked (from {p.referrer})" for p in report.forbidden_links
        ]
        for url, defects in report.defects.items():
            lines += [f"{url} [{report.language}]: {defect}" for defect in defects]
    french, english = reports
    on_french, on_english = untranslated_pages(french, english, catalogues, data)
    for url, texts in sorted(on_french.items()):
        lines += [f"English on the French page {url}: {text!r}" for text in texts]
    for url, texts in sorted(on_english.items()):
        lines += [f"French on the English page {url}: {text!r}" for text in texts]
    return sorted(set(lines))


@pytest.mark.parametrize("role", list(STAFF))
@pytest.mark.django_db
def test_every_page_a_staff_role_is_shown_works_in_both_languages(
    demo: dict[str, int], catalogues: Catalogues, role: str
) -> None:
    reports = [_staff_crawl(demo, role, language) for language in LANGUAGES]

    problems = _problems(reports, catalogues, stored_texts())

    assert problems == []
    assert all(len(report.ok_pages) >= MIN_PAGES[role] for report in reports)


@pytest.mark.parametrize("role", ["agent", "admin"])
@pytest.mark.django_db
def test_no_page_shows_a_raw_code_where_a_label_exists_in_either_language(
    demo: dict[str, int], catalogues: Catalogues, role: str
) -> None:
    """Statuses, kinds, channels, outcomes, root causes and legal rules read as
    their labels: no page shows a choice's stored value, a snake_case slug or a
    dotted rule code, in French or in English."""
    codes, data = choice_codes(), stored_texts()
    found: list[str] = []

    for language in LANGUAGES:
        report = _staff_crawl(demo, role, language)
        for url, texts in report.texts.items():
            found += [
                f"{url} [{language}]: {text!r}"
                for text in sorted(raw_codes(texts, codes, data, catalogues.sources))
            ]

    assert found == [], "\n".join(found)
    assert {"waiting_customer", "no_answer", "phone", "withdrawn"} <= codes


def _view_name(url: str) -> str:
    return str(resolve(urlsplit(url).path).view_name)


@pytest.mark.django_db
def test_what_an_administrator_reaches_is_refused_to_lower_roles_not_failing(
    demo: dict[str, int],
) -> None:
    """A page of the administrator's crawl is refused (403/404) to a lower role
    unless that role's own crawl reaches a page of the same view (which of those
    objects a role may open is the business of the permission tests)."""
    reached = _staff_crawl(demo, "admin", "fr").ok_pages
    failures: list[str] = []

    for role in ("agent", "supervisor"):
        own = {_view_name(url) for url in _staff_crawl(demo, role, "fr").ok_pages}
        client = _staff_client(demo[role])
        for url in reached:
            status = client.get(url).status_code
            expected = {200, 403, 404} if _view_name(url) in own else {403, 404}
            if status not in expected:
                failures.append(f"{role} {url}: {status}, expected {expected}")
    anonymous = _staff_client(None)
    for url in reached:
        response = anonymous.get(url)
        if response.status_code != 302 or not response["Location"].startswith(
            reverse("web:login")
        ):
            failures.append(f"anonymous {url}: {response.status_code}")

    assert failures == []
    assert len(reached) >= MIN_PAGES["admin"]


@pytest.mark.parametrize("role", ["agent", "admin"])
@pytest.mark.django_db
def test_every_form_sent_empty_is_answered_without_failing(
    demo: dict[str, int], role: str
) -> None:
    client = _staff_client(demo[role])
    forms: dict[str, PageForm] = {}
    for url, html in _staff_crawl(demo, role, "fr").html.items():
        for form in page_forms(html, url):
            forms.setdefault(shape(form.action), form)
    failures: list[str] = []

    for form in forms.values():
        response = client.post(form.action, form.emptied())
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {form.action} {form.emptied()}")

    assert failures == []
    assert len(forms) >= MIN_FORMS[role]


def _portal_customer() -> Customer:
    """A customer of the demo with orders and cases, to crawl the portal as."""
    customer = (
        Customer.objects.filter(orders__isnull=False, cases__isnull=False)
        .order_by("pk")
        .first()
    )
    assert customer is not None
    return customer


@pytest.mark.django_db
def test_a_customer_crawls_the_portal_from_a_signed_link_in_both_languages(
    demo: dict[str, int], catalogues: Catalogues
) -> None:
    customer = _portal_customer()
    reports: list[CrawlReport] = []

    case = customer.cases.order_by("pk").first()
    assert case is not None

    for language in LANGUAGES:
        customer = customer_update(
            actor=None, customer=customer, preferred_language=language
        )
        # A survey and a confirmation speak the language they were sent in.
        survey = SurveyFactory.create(customer=customer, language=language)
        confirmation = ConfirmationFactory.create(case=case, language=language)
        token = link_token_make(customer_id=customer.pk, page=LinkPage.HOME)
        start = [
            reverse("portal:link", args=[token]),
            reverse("feedback_public:answer", args=[token_make(survey.public_key)]),
            confirmation_path(confirmation.public_key),
        ]
        client = Client(raise_request_exception=False)
        # The whole customer area, as a code opens it (a link opens one page).
        client.cookies[settings.SESSION_COOKIE_NAME] = portal_session_key(customer)
        reports.append(crawl(client, start, language=language))

    assert _problems(reports, catalogues, stored_texts()) == []
    assert all(
        url.startswith(("/portal/", "/s/", "/r/"))
        for report in reports
        for url in report.ok_pages
    )
    assert all(len(report.ok_pages) >= MIN_PORTAL_PAGES for report in reports)


@pytest.mark.django_db
def test_an_anonymous_visitor_crawls_the_sign_in_pages_in_both_languages(
    demo: dict[str, int], catalogues: Catalogues
) -> None:
    start = [
        reverse("web:login"),
        reverse("portal:home"),
        reverse("portal:code_request"),
    ]

    reports = [
        crawl(Client(raise_request_exception=False), start, language=language)
        for language in LANGUAGES
    ]

    assert _problems(reports, catalogues, stored_texts()) == []
    assert all(len(report.ok_pages) >= len(start) for report in reports)
