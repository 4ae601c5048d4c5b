"""The promise panel of the case page (two-click presets, the realistic date,
confirmation when sooner, renegotiate, keep, cancel) and the promises list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.conversations.models import Channel, Direction, Interaction
from amiable.promises.models import Promise, PromiseKind, PromiseState
from tests.factories import CaseFactory
from tests.factories.promises import PromiseFactory

HTMX = {"HX-Request": "true"}


def make_url(case: Case) -> str:
    return reverse("promises:make", args=[case.pk])


@pytest.mark.django_db
def test_a_preset_makes_the_promise_in_the_customers_language(
    web_client: Client, english_customer: Any, agent: User
) -> None:
    case = CaseFactory.create(customer=english_customer, team=agent.team)

    response = web_client.post(
        make_url(case), {"preset": "callback_tomorrow_noon"}, headers=HTMX
    )

    promise = Promise.objects.get()
    local_due = timezone.localtime(promise.due_at)
    assert response.status_code == 200
    assert "Promesse enregistrée." in response.content.decode()
    assert (promise.kind, promise.description, promise.made_by) == (
        PromiseKind.CALLBACK,
        "I will call you back tomorrow before noon.",
        agent,
    )
    assert (local_due.hour, local_due.minute) == (12, 0)
    assert local_due.date() == timezone.localdate() + dt.timedelta(days=1)
    line = Interaction.objects.get(case=case, channel=Channel.SYSTEM)
    assert line.body_text.startswith("Promesse faite : I will call you back")


@pytest.mark.django_db
def test_a_sooner_promise_asks_for_confirmation_then_is_made(
    web_client: Client, case: Case
) -> None:
    due = timezone.localtime(timezone.now() + dt.timedelta(days=2))
    form = {
        "kind": "refund",  # 14 days by default: 2 days is sooner
        "description": "Remboursement express",
        "due_at": due.strftime("%Y-%m-%dT%H:%M"),
    }

    asked = web_client.post(make_url(case), form, headers=HTMX)
    confirmed = web_client.post(
        make_url(case), {**form, "is_sooner_confirmed": "on"}, headers=HTMX
    )

    assert asked.status_code == 422
    assert 'data-testid="promise-confirm"' in asked.content.decode()
    assert 'value="Remboursement express"' in asked.content.decode()
    assert confirmed.status_code == 200
    assert Promise.objects.get().description == "Remboursement express"


@pytest.mark.django_db
def test_a_form_error_keeps_the_typed_text(web_client: Client, case: Case) -> None:
    response = web_client.post(
        make_url(case),
        {"kind": "callback", "description": "Je vous rappelle", "due_at": "demain"},
        headers=HTMX,
    )

    body = response.content.decode()
    assert response.status_code == 422
    assert 'value="Je vous rappelle"' in body
    assert Promise.objects.count() == 0


@pytest.mark.django_db
def test_an_agent_of_another_team_cannot_promise_on_the_case(
    case: Case, other_agent: User
) -> None:
    client = Client()
    client.force_login(other_agent)

    response = client.post(make_url(case), {"preset": "refund_in_14_days"})

    assert response.status_code == 404
    assert Promise.objects.count() == 0


@pytest.mark.django_db
def test_renegotiating_from_the_panel_sends_the_new_date(
    web_client: Client,
    case: Case,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    promise = PromiseFactory.create(
        customer=case.customer,
        case=case,
        kind=PromiseKind.REPLACEMENT,
        description="Envoi d’une nouvelle théière",
    )
    new_due = timezone.localtime(promise.due_at + dt.timedelta(days=5))

    with django_capture_on_commit_callbacks(execute=True):
        response = web_client.post(
            reverse("promises:renegotiate", args=[promise.pk]),
            {
                "due_at": new_due.strftime("%Y-%m-%dT%H:%M"),
                "reason": "Rupture de stock chez le fabricant",
                "is_message_sent": "on",
            },
            headers=HTMX,
        )

    promise.refresh_from_db()
    assert response.status_code == 200
    assert promise.state == PromiseState.RENEGOTIATED
    assert promise.original_due_at < promise.due_at
    assert len(mail.outbox) == 1
    assert "Rupture de stock chez le fabricant" in mail.outbox[0].body
    assert "Envoi d’une nouvelle théière" in mail.outbox[0].body
    outbound = Interaction.objects.get(case=case, direction=Direction.OUTBOUND)
    assert outbound.author is None  # a templated message, not an answer


@pytest.mark.django_db
def test_keeping_and_cancelling_from_the_panel(web_client: Client, case: Case) -> None:
    first = PromiseFactory.create(customer=case.customer, case=case, made_by=None)
    second = PromiseFactory.create(customer=case.customer, case=case)

    kept = web_client.post(
        reverse("promises:keep", args=[first.pk]), {"note": "Appel passé"}, headers=HTMX
    )
    refused = web_client.post(
        reverse("promises:cancel", args=[second.pk]), {"reason": ""}, headers=HTMX
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert kept.status_code == 200
    assert (first.state, first.evidence) == (PromiseState.KEPT, "Appel passé")
    assert refused.status_code == 422
    assert second.state == PromiseState.OPEN


@pytest.mark.django_db
def test_the_promises_list_shows_what_is_waiting_in_fixed_queries(
    web_client: Client, case: Case
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = web_client.get(reverse("promises:list"))
        assert response.status_code == 200
        return len(captured)

    PromiseFactory.create(customer=case.customer, case=case, state=PromiseState.AT_RISK)
    few = count()
    for _index in range(20):
        PromiseFactory.create(customer=case.customer, case=case)
    PromiseFactory.create(customer=case.customer, case=case, state=PromiseState.KEPT)

    many = count()
    body = web_client.get(reverse("promises:list")).content.decode()

    assert few == many
    assert body.count('data-testid="promise-list-row"') == 21  # kept ones are done


@pytest.mark.django_db
def test_the_customer_page_lists_the_customers_promises(
    web_client: Client, case: Case
) -> None:
    PromiseFactory.create(
        customer=case.customer, case=case, description="Rappel sous 24 h"
    )

    body = web_client.get(
        reverse("customers:detail", args=[case.customer_id])
    ).content.decode()

    assert 'data-testid="customer-promises-panel"' in body
    assert "Rappel sous 24 h" in body
