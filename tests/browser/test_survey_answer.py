"""A real browser: open a survey link from an email, press a score, add a comment,
see the thank-you page; the answer is stored once."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from amiable.feedback.models import SurveyKind, SurveyResponse
from amiable.feedback.signing import token_make
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.factories import CustomerFactory
from tests.factories.feedback import SurveyFactory


@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM,
    reason="AMIABLE_CHROMIUM is not set (scripts/test.sh sets it to /usr/bin/chromium;"
    " install it with apt-get install chromium)",
)
@pytest.mark.django_db(transaction=True)
def test_customer_answers_a_survey_from_its_link(
    live_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    customer = CustomerFactory.create(name="Claire Martin", preferred_language="fr")
    survey = SurveyFactory.create(customer=customer, kind=SurveyKind.NPS)
    url = f"{live_server.url}/s/{token_make(survey.public_key)}/"
    comment = "Livraison rapide et bien emballée."

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(locale="fr-FR")
            page.goto(f"{url}?score=8")
            expect(page.locator("#id_score_8")).to_be_checked()
            assert SurveyResponse.objects.count() == 0  # the GET recorded nothing

            page.locator("label[for=id_score_9]").click()
            page.get_by_test_id("send-answer").click()

            expect(page.get_by_test_id("thanks")).to_be_visible()
            expect(page).to_have_url(f"{url}thanks/")
            page.locator("#follow-up-comment").fill(comment)
            page.get_by_test_id("send-comment").click()

            expect(page.get_by_role("status")).to_be_visible()
            expect(page.locator("blockquote")).to_contain_text(comment)
        finally:
            browser.close()

    answer = SurveyResponse.objects.get()
    assert (answer.survey_id, answer.score, answer.comment) == (survey.pk, 9, comment)
