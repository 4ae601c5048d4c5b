"""Accessibility of the main pages in real headless Chromium: axe-core (from npm,
loaded into each page from node_modules) finds no serious or critical violation,
in French and in English, on the staff pages (login, inbox, case, customer, queues,
workload, reports, the keyboard shortcuts' help) and the customer's (portal home,
order and case, survey answer, resolution confirmation), on the small demo data
set."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Browser, Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.customers.models import Customer
from amiable.customers.services import customer_update
from amiable.demo.loader import demo_load
from amiable.demo.selectors import demo_database_get
from amiable.demo.staff import DEMO_ADMIN_USERNAME
from amiable.feedback.models import SurveyKind
from amiable.feedback.signing import token_make as survey_token_make
from amiable.portal.signing import LinkPage, link_token_make
from amiable.quality.links import confirmation_path
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.factories.feedback import SurveyFactory
from tests.factories.quality import ConfirmationFactory
from tests.portal.conftest import portal_session_key

AXE = Path(settings.NODE_MODULES_DIR) / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
LOCALES = {"fr": "fr-FR", "en": "en-GB"}
# Pages that fetch a part of themselves with htmx once loaded (hx-trigger="load"):
# that part is audited too.
LOADS_MORE = {"inbox"}


@dataclass(frozen=True)
class Violation:
    page: str
    rule: str
    impact: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.page}: {self.rule} ({self.impact}) {', '.join(self.targets)}"


def axe_violations(page: Page, name: str) -> list[Violation]:
    """Every violation axe-core finds on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    return [
        Violation(
            page=name,
            rule=item["id"],
            impact=item["impact"] or "",
            targets=tuple(
                " ".join(str(part) for part in node["target"])
                for node in item["nodes"][:3]
            ),
        )
        for item in result["violations"]
    ]


@dataclass(frozen=True)
class Scene:
    staff_pages: dict[str, str]
    customer: Customer
    customer_pages: dict[str, str]
    # A survey and a confirmation are written in the customer's language of the day
    # they were sent: one of each per language.
    public_pages: dict[str, dict[str, str]]
    demo_password: str


def _scene() -> Scene:
    demo_load(scale=0.02, progress=False)
    mark = demo_database_get()
    assert mark is not None
    case = (
        Case.objects.filter(interactions__isnull=False, customer__orders__isnull=False)
        .order_by("pk")
        .first()
    )
    assert case is not None
    customer = case.customer
    order = customer.orders.order_by("pk").first()
    assert order is not None
    public_pages: dict[str, dict[str, str]] = {}
    for language in LOCALES:
        survey = SurveyFactory.create(
            customer=customer, kind=SurveyKind.NPS, language=language
        )
        confirmation = ConfirmationFactory.create(case=case, language=language)
        public_pages[language] = {
            "survey answer": reverse(
                "feedback_public:answer", args=[survey_token_make(survey.public_key)]
            ),
            "resolution confirmation": confirmation_path(confirmation.public_key),
        }
    home = link_token_make(customer_id=customer.pk, page=LinkPage.HOME)
    return Scene(
        staff_pages={
            "inbox": reverse("cases:inbox"),
            "case": reverse("cases:detail", args=[case.pk]),
            "customer": reverse("customers:detail", args=[customer.pk]),
            "supervisor queue": reverse("cases:supervisor_queue"),
            "quality queue": reverse("cases:quality_queue"),
            "workload": reverse("cases:workload"),
            "gesture reports": reverse("gestures:reports"),
            "survey results": reverse("feedback:results"),
            "first-contact resolution": reverse("quality:fcr"),
            "dispute costs": reverse("disputes:costs"),
        },
        customer=customer,
        customer_pages={
            "portal home": reverse("portal:link", args=[home]),
            "portal order": reverse("portal:order", args=[order.pk]),
            "portal case": reverse("portal:case", args=[case.pk]),
        },
        public_pages=public_pages,
        demo_password=mark.password,
    )


@pytest.fixture
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


def _open(page: Page, url: str, *, name: str) -> None:
    response = page.goto(url)
    assert response is not None
    assert response.status == 200, url
    if name in LOADS_MORE:
        page.wait_for_load_state("networkidle")


def _audit(browser: Browser, live_server: LiveServer, scene: Scene) -> list[Violation]:
    found: list[Violation] = []
    for language, locale in LOCALES.items():
        # The auditor is injected as an inline script, which the pages' strict
        # Content-Security-Policy refuses: only this harness bypasses it (the
        # other browser tests and test_content_security_policy run under it).
        context = browser.new_context(locale=locale, bypass_csp=True)
        page = context.new_page()
        page.goto(f"{live_server.url}{reverse('web:login')}")
        found += axe_violations(page, f"login [{language}]")
        page.locator("input[name=username]").fill(DEMO_ADMIN_USERNAME)
        page.locator("input[name=password]").fill("not the password")
        page.locator("form button[type=submit]").last.click()
        page.wait_for_load_state()
        found += axe_violations(page, f"login with an error [{language}]")
        page.locator("input[name=password]").fill(scene.demo_password)
        page.locator("form button[type=submit]").last.click()
        page.wait_for_url(f"{live_server.url}{reverse('cases:inbox')}")
        for name, url in scene.staff_pages.items():
            _open(page, f"{live_server.url}{url}", name=name)
            found += axe_violations(page, f"{name} [{language}]")
        # The keyboard shortcuts' help, a modal dialog opened with "?".
        page.locator("h1").first.click()
        page.keyboard.press("?")
        page.locator("#shortcuts-help[open]").wait_for()
        found += axe_violations(page, f"shortcuts help [{language}]")
        context.close()
        customer_update(
            actor=None, customer=scene.customer, preferred_language=language
        )
        context = browser.new_context(locale=locale, bypass_csp=True)
        # The whole customer area, as a code opens it (a link opens one page).
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": portal_session_key(scene.customer),
                    "url": live_server.url,
                }
            ]
        )
        page = context.new_page()
        pages = {**scene.customer_pages, **scene.public_pages[language]}
        for name, url in pages.items():
            _open(page, f"{live_server.url}{url}", name=name)
            found += axe_violations(page, f"{name} [{language}]")
        context.close()
    return found


@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM,
    reason="AMIABLE_CHROMIUM is not set (scripts/test.sh sets it to /usr/bin/chromium;"
    " install it with apt-get install chromium)",
)
@pytest.mark.skipif(
    not AXE.is_file() and os.environ.get("CI") != "true",
    reason="axe-core is not installed (npm ci installs it); under CI it must be",
)
@pytest.mark.django_db(transaction=True)
def test_the_main_pages_have_no_serious_accessibility_violation(
    live_server: LiveServer, monkeypatch: pytest.MonkeyPatch, browser: Browser
) -> None:
    assert AXE.is_file(), f"axe-core is missing at {AXE}: run npm ci"
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    scene = _scene()
    assert User.objects.filter(username=DEMO_ADMIN_USERNAME).exists()

    found = _audit(browser, live_server, scene)

    print("\n".join(str(violation) for violation in found))  # noqa: T201
    blocking = [str(violation) for violation in found if violation.impact in BLOCKING]
    assert blocking == []
