"""A real browser at 1440×900: the inbox shows at least 15 cases without
scrolling; a supervisor ticks three, assigns them to a colleague, confirms, and
sees them assigned."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone
from playwright.sync_api import ViewportSize, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from amiable.accounts.models import Team, User
from amiable.audit.models import AuditEvent
from amiable.cases.models import Case, CaseStatus
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, staff_sign_in
from tests.factories import CaseFactory, CustomerFactory, UserFactory

VIEWPORT: ViewportSize = {"width": 1440, "height": 900}
# Rows whose whole box is inside the window, as the agent sees it on arrival.
VISIBLE_ROWS = """() => [...document.querySelectorAll('tr.case-row')].filter(
  (row) => row.getBoundingClientRect().bottom <= window.innerHeight).length"""


@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM,
    reason="AMIABLE_CHROMIUM is not set (scripts/test.sh sets it to /usr/bin/chromium;"
    " install it with apt-get install chromium)",
)
@pytest.mark.django_db(transaction=True)
def test_a_supervisor_triages_the_unassigned_cases_with_a_bulk_assign(
    live_server: LiveServer,
    supervisor: User,
    team: Team,
    password: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Playwright's sync API runs an event loop in this thread; the ORM calls below
    # are plain synchronous test code, not async code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    colleague = UserFactory.create(team=team, first_name="Inès", last_name="Roy")
    start = timezone.now() - dt.timedelta(hours=3)
    cases = [
        CaseFactory.create(
            team=team,
            status=CaseStatus.NEW,
            subject=f"Colis numéro {index} arrivé endommagé, carton ouvert",
            customer=CustomerFactory.create(name=f"Client Dupont-Martin {index}"),
            opened_at=start + dt.timedelta(minutes=index),
            last_activity_at=start + dt.timedelta(minutes=index),
        )
        for index in range(22)
    ]
    newest_three = cases[::-1][:3]

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(locale="fr-FR", viewport=VIEWPORT)
            staff_sign_in(page, live_server.url, "supervisor", password)

            page.get_by_role("link", name="Non attribués").click()
            expect(page.locator("tr.case-row")).to_have_count(22)
            expect(page.locator('[data-view="unassigned"] .count')).to_have_text("22")
            visible = page.evaluate(VISIBLE_ROWS)
            if os.environ.get("AMIABLE_SCREENSHOTS"):
                page.screenshot(path=os.environ["AMIABLE_SCREENSHOTS"])
            assert visible >= 15, f"only {visible} rows visible at 1440×900"

            page.locator("#select-all").check()
            expect(page.locator("#selected-count")).to_have_text("22")
            page.locator("#select-all").uncheck()
            expect(page.locator("#selected-count")).to_have_text("0")
            for case in newest_three:
                page.get_by_label(f"Sélectionner {case.reference}").check()
            expect(page.locator("#selected-count")).to_have_text("3")
            page.get_by_test_id("bulk-action").select_option(
                label="Attribuer à Inès Roy"
            )
            page.get_by_test_id("bulk-apply").click()

            confirm = page.get_by_test_id("bulk-confirm")
            expect(confirm).to_contain_text("Attribuer à Inès Roy")
            expect(confirm.locator("tbody tr")).to_have_count(3)
            assert Case.objects.filter(assignee=colleague).count() == 0
            page.get_by_role("button", name="Confirmer").click()

            expect(page).to_have_url(f"{live_server.url}/cases/?view=unassigned")
            expect(page.locator(".flash")).to_have_text("3 dossiers modifiés.")
            expect(page.locator("tr.case-row")).to_have_count(19)
            page.goto(f"{live_server.url}/cases/?assignee={colleague.pk}")
            rows = page.locator("tr.case-row")
            expect(rows).to_have_count(3)
            for index, case in enumerate(newest_three):
                expect(rows.nth(index)).to_contain_text(case.reference)
                expect(rows.nth(index)).to_contain_text("Inès Roy")
        finally:
            browser.close()

    assert set(
        Case.objects.filter(assignee=colleague).values_list("reference", flat=True)
    ) == {case.reference for case in newest_three}
    assert (
        AuditEvent.objects.filter(action="case.assign", actor=supervisor).count() == 3
    )
