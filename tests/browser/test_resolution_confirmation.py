"""A real browser answers the resolution confirmation link: the link from the email
pre-selects "no" and records nothing; the customer adds a comment and sends; the
thank-you page says the case is reopened, and it is."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect, sync_playwright
from pytest_django.fixtures import Settings as SettingsWrapper
from pytest_django.live_server_helper import LiveServer

from amiable.accounts.models import Role
from amiable.cases.models import Case, CaseStatus
from amiable.cases.services import case_resolve
from amiable.conversations.models import Channel, Direction, Interaction
from amiable.quality.models import ResolutionConfirmation
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.factories import CaseFactory, CustomerFactory, IdentityFactory, UserFactory


@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM,
    reason="AMIABLE_CHROMIUM is not set (scripts/test.sh sets it to /usr/bin/chromium;"
    " install it with apt-get install chromium)",
)
@pytest.mark.django_db(transaction=True)
def test_a_customer_says_no_and_the_case_reopens(
    live_server: LiveServer,
    monkeypatch: pytest.MonkeyPatch,
    settings: SettingsWrapper,
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.AMIABLE_PUBLIC_URL = live_server.url
    agent = UserFactory.create(username="agent", role=Role.AGENT)
    customer = CustomerFactory.create(name="Amélie Roux", preferred_language="fr")
    IdentityFactory.create(
        customer=customer, value="amelie@exemple.fr", normalized="amelie@exemple.fr"
    )
    case = CaseFactory.create(customer=customer, team=agent.team, assignee=agent)
    case_resolve(
        actor=agent, case=case, resolution_summary="Remboursement ordonné ce jour."
    )
    [email] = mail.outbox
    url = re.search(r"(http://\S+/r/\S+/)\?answer=no", str(email.body))
    assert url is not None
    comment = "Le remboursement n'est toujours pas arrivé sur mon compte."

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(locale="fr-FR")
            page.goto(f"{url.group(1)}?answer=no")
            expect(
                page.get_by_role("radio", name="Non, il n'est pas résolu")
            ).to_be_checked()
            assert ResolutionConfirmation.objects.get().answered_at is None
            assert Case.objects.get(pk=case.pk).status == CaseStatus.RESOLVED

            page.get_by_label("Quelque chose à ajouter ? (facultatif)").fill(comment)
            page.get_by_test_id("send-confirmation").click()

            expect(page.get_by_test_id("confirmation-thanks")).to_be_visible()
            expect(page).to_have_url(f"{url.group(1)}thanks/")
            expect(page.locator("main")).to_contain_text("est rouverte")
        finally:
            browser.close()

    assert Case.objects.get(pk=case.pk).status == CaseStatus.OPEN
    message = Interaction.objects.get(case=case, direction=Direction.INBOUND)
    assert (message.channel, message.body_text) == (Channel.PORTAL, comment)
    confirmation = ResolutionConfirmation.objects.get()
    assert (confirmation.is_solved, confirmation.comment) == (False, comment)
