"""A real browser at 1440×900 and 390×844: an agent tags a case and sets a custom
field from the case page's side panel, then follows the tag to the inbox filtered
by it; a wrong number comes back beside its control with the typed text; no
horizontal scroll in the page's content on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import ViewportSize, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from amiable.accounts.models import Team, User
from amiable.cases.models import CustomFieldKind
from amiable.cases.services import case_classification
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, staff_sign_in
from tests.factories import CaseFactory, CustomerFactory
from tests.factories.cases import CustomFieldFactory

# How far the page's content (not the site header, whose menu is not ours) runs
# past the window: a table in its own scroll box does not count.
OVERFLOW = """() => { const main = document.getElementById('main');
  return Math.max(main.scrollWidth - main.clientWidth,
                  main.getBoundingClientRect().right - window.innerWidth); }"""


@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM,
    reason="AMIABLE_CHROMIUM is not set (scripts/test.sh sets it to /usr/bin/chromium;"
    " install it with apt-get install chromium)",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "viewport",
    [{"width": 1440, "height": 900}, {"width": 390, "height": 844}],
    ids=["desktop", "phone"],
)
def test_an_agent_tags_a_case_and_filters_the_inbox_by_the_tag(
    live_server: LiveServer,
    agent: User,
    team: Team,
    password: str,
    monkeypatch: pytest.MonkeyPatch,
    viewport: ViewportSize,
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    CustomFieldFactory.create(
        key="carrier",
        label_fr="Transporteur",
        label_en="Carrier",
        kind=CustomFieldKind.CHOICE,
        choices=["Colissimo", "DHL"],
    )
    CustomFieldFactory.create(
        key="order_total",
        label_fr="Montant",
        label_en="Amount",
        kind=CustomFieldKind.NUMBER,
    )
    case = CaseFactory.create(
        team=team, assignee=agent, customer=CustomerFactory.create()
    )
    other = CaseFactory.create(
        team=team, assignee=agent, customer=CustomerFactory.create()
    )

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(locale="fr-FR", viewport=viewport)
            staff_sign_in(page, live_server.url, "agent", password)
            page.goto(f"{live_server.url}/cases/{case.pk}/")
            side = page.get_by_test_id("case-classification")
            side.get_by_text("Modifier les étiquettes et les champs").click()
            side.get_by_label("Étiquettes", exact=True).fill("livraison-express")
            side.get_by_label("Transporteur").select_option("DHL")
            side.get_by_label("Montant").fill("douze")
            side.get_by_test_id("classify-save").click()

            # Refused: the error beside the amount, what was typed still there.
            expect(side.locator(".field-error")).to_be_visible()
            expect(side.get_by_label("Montant")).to_have_value("douze")
            expect(side.get_by_label("Étiquettes", exact=True)).to_have_value(
                "livraison-express"
            )
            assert case_classification(case)["tags"] == []

            side.get_by_label("Montant").fill("49,90")
            side.get_by_test_id("classify-save").click()
            tags = page.get_by_test_id("case-tags")
            expect(tags).to_contain_text("livraison-express")
            expect(page.get_by_test_id("case-fields")).to_contain_text("49.9")
            assert page.evaluate(OVERFLOW) <= 0, "horizontal scroll on the case page"

            tags.get_by_role("link", name="livraison-express").click()
            rows = page.locator("tr.case-row")
            expect(rows).to_have_count(1)
            expect(rows.first).to_contain_text(case.reference)
            expect(rows.first.get_by_test_id("row-tag")).to_have_text(
                "livraison-express"
            )
            expect(page.locator("#filter-tag")).to_have_value("livraison-express")
            expect(page.locator("tr.case-row", has_text=other.reference)).to_have_count(
                0
            )
            assert page.evaluate(OVERFLOW) <= 0, "horizontal scroll on the inbox"
        finally:
            browser.close()

    assert case_classification(case) == {
        "tags": ["livraison-express"],
        "custom_fields": {"carrier": "DHL", "order_total": "49.9"},
    }
