"""The case page speaks labels, not codes, and writes dates the reader's way: a
logged call's outcome, the root cause and the category read as their names, in
French and in English; English dates are day-first with a 24-hour clock (never
« 12/07/2026 1:48 a.m. »)."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from amiable.accounts.models import User
from amiable.cases.services import case_log_call
from tests.factories import CaseFactory
from tests.factories.cases import CaseCategoryFactory, RootCauseFactory
from tests.web.crawling import choice_codes, page_parse, raw_codes

MOMENT = dt.datetime(2026, 12, 7, 13, 48, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.mark.parametrize(
    ("language", "labels", "dates"),
    [
        (
            "fr",
            ["Pas de réponse", "Retard du transporteur", "Livraison"],
            "07/12/2026 13:48",
        ),
        ("en", ["No answer", "Carrier delay", "Delivery"], "7 Dec 2026, 13:48"),
    ],
)
@pytest.mark.django_db
def test_the_case_page_shows_labels_and_dates_in_the_readers_language(
    web_client: Client, agent: User, language: str, labels: list[str], dates: str
) -> None:
    CaseCategoryFactory.create(code="delivery", name_fr="Livraison", name_en="Delivery")
    cause = RootCauseFactory.create(
        code="carrier_delay", name_fr="Retard du transporteur", name_en="Carrier delay"
    )
    case = CaseFactory.create(
        team=agent.team,
        assignee=agent,
        subject="Colis en retard",
        category="delivery",
        root_cause=cause,
        resolution_summary="Renvoyé.",
        opened_at=MOMENT,
    )
    case_log_call(
        actor=agent,
        case=case,
        direction="outbound",
        duration_seconds=60,
        outcome="no_answer",
        occurred_at=MOMENT,
    )

    response = web_client.get(
        reverse("cases:detail", args=[case.pk]), headers={"accept-language": language}
    )

    html = response.content.decode()
    _links, texts = page_parse(html)
    data = {case.subject, case.customer.name, case.reference, "Renvoyé."}
    assert raw_codes(texts, choice_codes(), data, frozenset()) == set()
    assert all(label in html for label in labels)
    assert dates in html
    assert not re.search(r"\b[ap]\.m\.|\d{2}/\d{2}/\d{4} \d{1,2}:\d{2} [ap]", html)
