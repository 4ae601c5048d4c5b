"""Reply drafts kept on the server: autosaved per agent and case, restored on
another device (another browser session), private to their author, discarded
when the reply goes out or the text is emptied."""

from __future__ import annotations

import pytest
from django.test import Client

from amiable.accounts.models import User
from amiable.cases.models import Case, ReplyDraft
from tests.factories import CaseFactory, UserFactory


@pytest.fixture
def case(agent: User) -> Case:
    return CaseFactory.create(team=agent.team, assignee=agent)


def _device(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _save(client: Client, case: Case, **fields: str) -> int:
    response = client.post(f"/cases/{case.pk}/reply/draft/", fields)
    return response.status_code


def test_a_draft_begun_on_one_device_is_found_on_another(
    agent: User, case: Case
) -> None:
    laptop, phone = _device(agent), _device(agent)

    status = _save(
        laptop, case, body="Bonjour Élodie,\nvotre colis…", cc="chef@exemple.fr"
    )

    page = phone.get(f"/cases/{case.pk}/").content.decode()
    assert status == 200
    assert "Bonjour Élodie,\nvotre colis…</textarea>" in page
    assert 'value="chef@exemple.fr"' in page
    assert "Votre brouillon, gardé sur le serveur, a été restauré." in page


def test_the_draft_answer_says_when_it_was_saved(agent: User, case: Case) -> None:
    response = _device(agent).post(f"/cases/{case.pk}/reply/draft/", {"body": "Texte"})

    assert "Brouillon enregistré à" in response.content.decode()


def test_a_colleague_never_sees_my_draft(
    agent: User, case: Case, supervisor: User
) -> None:
    _save(_device(agent), case, body="Mon brouillon secret")

    page = _device(supervisor).get(f"/cases/{case.pk}/").content.decode()

    assert "Mon brouillon secret" not in page


def test_sending_the_reply_discards_the_draft(agent: User, case: Case) -> None:
    client = _device(agent)
    _save(client, case, body="Presque fini")

    sent = client.post(
        f"/cases/{case.pk}/reply/", {"body": "Fini.", "version": case.version}
    )

    assert sent.status_code == 302
    assert not ReplyDraft.objects.exists()


def test_an_autosave_arriving_after_the_reply_does_not_bring_the_text_back(
    agent: User, case: Case
) -> None:
    client = _device(agent)
    client.post(f"/cases/{case.pk}/reply/", {"body": "Fini.", "version": case.version})

    _save(client, case, body="Fini.")  # the autosave that was still in flight
    page = client.get(f"/cases/{case.pk}/").content.decode()
    _save(client, case, body="Une autre réponse")

    assert "Fini.</textarea>" not in page
    assert list(ReplyDraft.objects.values_list("body", flat=True)) == [
        "Une autre réponse"
    ]


def test_emptying_the_text_discards_the_draft(agent: User, case: Case) -> None:
    client = _device(agent)
    _save(client, case, body="Quelque chose")

    _save(client, case, body="   ")

    assert not ReplyDraft.objects.exists()


def test_an_agent_of_another_team_cannot_keep_a_draft(
    case: Case, other_agent: User
) -> None:
    status = _save(_device(other_agent), case, body="Intrusion")

    assert status == 404
    assert not ReplyDraft.objects.exists()


def test_a_draft_too_long_is_refused_with_a_message(agent: User, case: Case) -> None:
    response = _device(agent).post(
        f"/cases/{case.pk}/reply/draft/", {"body": "x" * 200_001}
    )

    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()
    assert not ReplyDraft.objects.exists()


def test_anonymous_visitors_keep_nothing(db: None) -> None:
    case = CaseFactory.create()
    UserFactory.create()

    response = Client().post(f"/cases/{case.pk}/reply/draft/", {"body": "x"})

    assert response.status_code == 302
    assert not ReplyDraft.objects.exists()
