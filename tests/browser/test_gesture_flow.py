"""A real browser: an agent grants a commercial gesture from the case page and sees
it applied in the panel without a reload; the case's ledger has it once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from amiable.accounts.models import Role, User
from amiable.cases.models import CaseCost
from amiable.gestures.models import Gesture, GestureStatus
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, staff_sign_in
from tests.factories import CaseFactory, CustomerFactory
from tests.factories.gestures import (
    AuthorityLimitFactory,
    GestureReasonFactory,
    GestureTypeFactory,
)


@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM,
    reason="AMIABLE_CHROMIUM is not set (scripts/test.sh sets it to /usr/bin/chromium)",
)
@pytest.mark.django_db(transaction=True)
def test_agent_applies_a_gesture_from_the_case_page(
    live_server: LiveServer,
    agent: User,
    password: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    reason = GestureReasonFactory.create(
        code="late", name_fr="Livraison en retard", name_en="Late delivery"
    )
    voucher = GestureTypeFactory.create(
        code="voucher", name_fr="Bon d’achat", name_en="Voucher", reasons=[reason]
    )
    AuthorityLimitFactory.create(
        role=Role.AGENT, gesture_type=voucher, max_per_gesture=Decimal("30")
    )
    case = CaseFactory.create(
        team=agent.team,
        customer=CustomerFactory.create(name="Noémie Roux"),
        subject="Colis en retard",
    )

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(locale="fr-FR")
            staff_sign_in(page, live_server.url, "agent", password)
            page.goto(f"{live_server.url}/cases/{case.pk}/")
            page.evaluate("window.amiableNoReload = true")

            page.locator("#gestures-panel summary").click()
            page.locator("#gesture_gesture_type").select_option(str(voucher.pk))
            page.locator("#gesture_reason").select_option(str(reason.pk))
            page.locator("#gesture_value").fill("12,50")
            expect(page.get_by_test_id("gesture-within")).to_be_visible()
            page.get_by_test_id("propose-gesture").click()

            expect(page.get_by_test_id("gesture-notice")).to_be_visible()
            expect(page.get_by_test_id("case-gestures")).to_contain_text("12,50")
            expect(page.get_by_test_id("gesture-status")).to_have_count(1)
            assert page.evaluate("window.amiableNoReload") is True
        finally:
            browser.close()

    gesture = Gesture.objects.get()
    assert (gesture.status, gesture.value) == (GestureStatus.APPLIED, Decimal("12.50"))
    assert list(CaseCost.objects.values_list("amount", flat=True)) == [Decimal("12.50")]
