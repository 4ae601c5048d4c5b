"""Signing in with an e-mailed one-time code: hashed, short-lived, rate-limited,
attempts limited, and silent about which addresses are customers."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from amiable.portal.models import PortalCode
from amiable.portal.services import MAX_ATTEMPTS, code_hash
from tests.portal.conftest import Someone

CodeFor = Callable[[str], str]


@pytest.fixture
def ask(django_capture_on_commit_callbacks: Callable[..., Any]) -> Callable[..., Any]:
    def run(client: Client, email: str, ip: str = "203.0.113.7") -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/portal/code/", {"email": email}, REMOTE_ADDR=ip)

    return run


def code_in(message: Any) -> str:
    found = re.search(r"\b(\d{6})\b", message.body)
    assert found is not None
    return found.group(1)


@pytest.mark.django_db
def test_alice_signs_in_with_the_code_sent_to_her(
    alice: Someone, ask: Callable[..., Any]
) -> None:
    client = Client()

    asked = ask(client, "  Alice@Exemple.FR ")
    code = code_in(mail.outbox[0])
    verified = client.post(
        "/portal/code/verify/", {"email": "alice@exemple.fr", "code": code}
    )
    home = client.get("/portal/")

    stored = PortalCode.objects.get()
    assert asked.status_code == 200
    assert mail.outbox[0].to == ["alice@exemple.fr"]
    assert mail.outbox[0].subject == "Votre code pour l’espace client"
    assert stored.code_hash == code_hash(code) != code
    assert code not in str(PortalCode.objects.values_list().get())
    assert verified.status_code == 302
    assert "Bonjour Alice Dupré" in home.content.decode()
    assert stored.customer_id == alice.customer.pk


@pytest.mark.django_db
def test_an_unknown_address_gets_the_same_page_and_no_email(
    alice: Someone, ask: Callable[..., Any]
) -> None:
    known = ask(Client(), "alice@exemple.fr")
    unknown = ask(Client(), "personne@exemple.fr")

    def text(response: Any) -> str:
        return (
            response.content.decode()
            .replace("personne@exemple.fr", "X")
            .replace("alice@exemple.fr", "X")
        )

    assert unknown.status_code == known.status_code == 200
    assert (
        text(unknown).split("csrfmiddlewaretoken")[0]
        == text(known).split("csrfmiddlewaretoken")[0]
    )
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_code_dies_after_too_many_wrong_attempts(
    alice: Someone, ask: Callable[..., Any]
) -> None:
    client = Client()
    ask(client, "alice@exemple.fr")
    good = code_in(mail.outbox[0])
    wrong = "000000" if good != "000000" else "111111"

    answers = [
        client.post(
            "/portal/code/verify/", {"email": "alice@exemple.fr", "code": wrong}
        )
        for _try in range(MAX_ATTEMPTS)
    ]
    late = client.post(
        "/portal/code/verify/", {"email": "alice@exemple.fr", "code": good}
    )

    assert [answer.status_code for answer in answers] == [422] * MAX_ATTEMPTS
    assert PortalCode.objects.get().attempts == MAX_ATTEMPTS
    assert late.status_code == 422
    assert "Ce code est erroné ou a expiré" in late.content.decode()
    assert client.get("/portal/orders/1/").status_code == 302  # still signed out


@pytest.mark.django_db
def test_a_code_expires_after_ten_minutes_and_works_once(
    alice: Someone, ask: Callable[..., Any]
) -> None:
    client = Client()
    ask(client, "alice@exemple.fr")
    code = code_in(mail.outbox[0])

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11), tick=False):
        expired = client.post(
            "/portal/code/verify/", {"email": "alice@exemple.fr", "code": code}
        )
    ask(client, "alice@exemple.fr")
    fresh = code_in(mail.outbox[1])
    first = Client().post(
        "/portal/code/verify/", {"email": "alice@exemple.fr", "code": fresh}
    )
    again = Client().post(
        "/portal/code/verify/", {"email": "alice@exemple.fr", "code": fresh}
    )

    assert (expired.status_code, first.status_code, again.status_code) == (
        422,
        302,
        422,
    )


@pytest.mark.django_db
def test_a_badly_typed_address_is_a_clear_error_with_the_input_kept(db: None) -> None:
    response = Client().post("/portal/code/", {"email": "pas-une-adresse"})

    body = response.content.decode()
    assert response.status_code == 422
    assert 'value="pas-une-adresse"' in body
    assert "Saisissez une adresse e-mail valide." in body
