"""The live case page: the poll (204 while nothing changed, else the changed
fragments), presence, and the « replied meanwhile » confirmation."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from amiable.accounts.models import Role, Team, User
from amiable.cases import presence
from amiable.cases.models import Case, CaseStatus
from amiable.cases.services import (
    case_add_note,
    case_change_status,
    case_record_inbound,
    case_reply,
)
from amiable.conversations.models import Channel
from tests.factories import CaseFactory, CustomerFactory, UserFactory
from tests.web.conftest import HTMX


@pytest.fixture
def case(team: Team) -> Case:
    customer = CustomerFactory.create(name="Jeanne Martin")
    return CaseFactory.create(
        customer=customer, team=team, subject="Colis abîmé", status=CaseStatus.OPEN
    )


@pytest.fixture
def colleague(team: Team) -> User:
    return UserFactory.create(
        username="marie", first_name="Marie", role=Role.AGENT, team=team
    )


@pytest.fixture
def colleague_client(colleague: User) -> Client:
    client = Client()
    client.force_login(colleague)
    return client


def url(name: str, case: Case) -> str:
    return reverse(f"cases:{name}", args=[case.pk])


def poll_params(client: Client, case: Case) -> dict[str, str]:
    """The poller's values as the case page draws them (mark, presence, seen)."""
    content = client.get(url("detail", case)).content.decode()
    values = re.search(
        r"hx-vals='\{\"mark\": \"([^\"]+)\", \"presence\": \"([^\"]+)\"\}'", content
    )
    seen = re.search(r'name="seen" value="(\d+)"', content)
    assert values is not None
    assert seen is not None
    return {"mark": values[1], "presence": values[2], "seen": seen[1]}


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    from django.core.cache import cache

    cache.clear()


def test_poll_answers_204_in_one_query_while_nothing_changed(
    web_client: Client,
    case: Case,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    params = poll_params(web_client, case)

    # The session and the user (authentication), then the case's mark.
    with django_assert_num_queries(3):
        response = web_client.get(url("live", case), params, headers=HTMX)

    assert response.status_code == 204
    assert response.content == b""


def test_a_customer_message_comes_back_with_the_changed_fragments(
    web_client: Client, case: Case
) -> None:
    params = poll_params(web_client, case)
    case_record_inbound(
        customer=case.customer,
        case=case,
        channel=Channel.EMAIL,
        body_text="Toujours pas de colis, merci de vérifier.",
    )

    response = web_client.get(url("live", case), params, headers=HTMX)

    content = response.content.decode()
    assert response.status_code == 200
    assert "Toujours pas de colis, merci de vérifier." in content
    assert 'id="case-conversation"' in content
    assert 'id="case-header"' in content
    assert content.count('hx-swap-oob="true"') == 4
    # The new poller carries the new mark: the next poll is quiet again.
    case.refresh_from_db()
    assert f'"mark": "{case.version}.' in content


def test_a_status_change_by_a_colleague_refreshes_the_header(
    web_client: Client, case: Case, colleague: User
) -> None:
    params = poll_params(web_client, case)
    case_change_status(
        actor=colleague, case=case, status=CaseStatus.WAITING_THIRD_PARTY
    )

    content = web_client.get(url("live", case), params, headers=HTMX).content.decode()

    assert "En attente d’un tiers" in content


def test_presence_shows_a_colleague_viewing_then_replying(
    web_client: Client, colleague_client: Client, case: Case
) -> None:
    params = poll_params(web_client, case)
    colleague_client.get(url("detail", case))

    viewing = web_client.get(url("live", case), params, headers=HTMX)
    colleague_client.post(url("presence", case), headers=HTMX)
    replying = web_client.get(url("live", case), params, headers=HTMX)

    assert "Marie consulte ce dossier" in viewing.content.decode()
    assert "Marie répond" in replying.content.decode()
    # Nobody sees themselves.
    own_page = colleague_client.get(url("detail", case)).content.decode()
    assert "Marie consulte" not in own_page
    assert "Marie répond" not in own_page


def test_presence_is_forgotten_after_thirty_seconds(
    monkeypatch: pytest.MonkeyPatch, agent: User, colleague: User, case: Case
) -> None:
    clock = {"now": 1_000_000.0}
    monkeypatch.setattr("amiable.cases.presence.time.time", lambda: clock["now"])
    presence.case_presence_beat(
        case_id=case.pk, user=colleague, state=presence.PresenceState.TYPING
    )

    clock["now"] += 11
    after_eleven = presence.case_presence_list(case_id=case.pk, actor=agent)
    clock["now"] += 20
    after_thirty_one = presence.case_presence_list(case_id=case.pk, actor=agent)

    assert after_eleven == [
        presence.Presence(
            user_id=colleague.pk,
            first_name="Marie",
            state=presence.PresenceState.VIEWING,
        )
    ]
    assert after_thirty_one == []


def test_a_colleagues_reply_meanwhile_asks_for_a_confirmation_then_sends(
    web_client: Client, case: Case, colleague: User
) -> None:
    params = poll_params(web_client, case)
    case_reply(actor=colleague, case=case, body_text="Nous regardons, Marie.")
    form = {
        "body": "Mon texte tapé avec soin",
        "version": "1",
        "seen": params["seen"],
    }

    refused = web_client.post(url("reply", case), form, headers=HTMX)
    live = web_client.get(url("live", case), params, headers=HTMX)
    sent = web_client.post(
        url("reply", case), form | {"send_anyway": "on"}, headers=HTMX
    )

    refused_content = refused.content.decode()
    assert refused.status_code == 409
    assert "Mon texte tapé avec soin</textarea>" in refused_content
    assert "a répondu au client pendant que vous écriviez" in refused_content
    assert 'data-testid="send-anyway"' in refused_content
    assert 'data-testid="replied-meanwhile-live"' in live.content.decode()
    assert sent.status_code == 200
    assert list(
        case.interactions.order_by("id").values_list("body_text", flat=True)
    ) == ["Nous regardons, Marie.", "Mon texte tapé avec soin"]


def test_a_colleagues_note_meanwhile_does_not_block_the_reply(
    web_client: Client, case: Case, colleague: User
) -> None:
    params = poll_params(web_client, case)
    case_add_note(actor=colleague, case=case, body_text="Client connu, patient.")

    response = web_client.post(
        url("reply", case),
        {"body": "Bonjour Jeanne", "version": "1", "seen": params["seen"]},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert case.interactions.filter(body_text="Bonjour Jeanne").exists()


def test_poll_of_a_case_of_another_team_is_a_404(
    other_client: Client, case: Case, agent: User
) -> None:
    response = other_client.get(url("live", case), headers=HTMX)
    beat = other_client.post(url("presence", case), headers=HTMX)

    assert (response.status_code, beat.status_code) == (404, 404)
    assert presence.case_presence_list(case_id=case.pk, actor=agent) == []
