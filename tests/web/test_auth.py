"""Login, logout, home redirect, anonymous access and the language switch."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from amiable.accounts.models import User
from tests.factories import CaseFactory, CustomerFactory


def test_login_page_renders_in_french_by_default(db: None) -> None:
    response = Client().get(reverse("web:login"))

    assert response.status_code == 200
    assert response.headers["Content-Language"] == "fr"
    assert "Se connecter" in response.content.decode()
    assert 'lang="fr"' in response.content.decode()


def test_login_with_good_password_goes_to_the_inbox(agent: User, password: str) -> None:
    client = Client()

    response = client.post(
        reverse("web:login"), {"username": "agent", "password": password}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == reverse("cases:inbox")
    assert client.get(reverse("cases:inbox")).status_code == 200


def test_login_with_wrong_password_shows_the_error(agent: User) -> None:
    response = Client().post(
        reverse("web:login"), {"username": "agent", "password": "wrong-password"}
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert 'role="alert"' in content
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in content
    assert 'value="agent"' in content


def test_logout_is_a_post_and_ends_the_session(web_client: Client) -> None:
    refused = web_client.get(reverse("web:logout"))
    response = web_client.post(reverse("web:logout"))

    assert refused.status_code == 405
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("web:login")
    assert web_client.get(reverse("cases:inbox")).status_code == 302


def test_home_redirects_to_the_inbox(web_client: Client) -> None:
    response = web_client.get(reverse("web:home"))

    assert response.status_code == 302
    assert response.headers["Location"] == reverse("cases:inbox")


@pytest.mark.parametrize(
    "url_name", ["cases:inbox", "cases:inbox_counts", "customers:list"]
)
def test_anonymous_is_sent_to_login(db: None, url_name: str) -> None:
    url = reverse(url_name)

    response = Client().get(url)

    assert response.status_code == 302
    assert response.headers["Location"] == f"{reverse('web:login')}?next={url}"


@pytest.mark.parametrize(
    ("url_name", "method"),
    [
        ("cases:detail", "get"),
        ("cases:reply", "post"),
        ("cases:note", "post"),
        ("cases:call", "post"),
        ("cases:status", "post"),
        ("cases:assign", "post"),
    ],
)
def test_anonymous_cannot_open_or_act_on_a_case(
    db: None, url_name: str, method: str
) -> None:
    case = CaseFactory.create()
    url = reverse(url_name, args=[case.pk])

    response = getattr(Client(), method)(url, {"body": "Bonjour", "version": "1"})

    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("web:login"))
    assert case.interactions.count() == 0


def test_anonymous_cannot_open_a_customer(db: None) -> None:
    customer = CustomerFactory.create()

    response = Client().get(reverse("customers:detail", args=[customer.pk]))

    assert response.status_code == 302


def test_language_switch_to_english_renders_english(web_client: Client) -> None:
    switched = web_client.post(
        reverse("set_language"), {"language": "en", "next": reverse("cases:inbox")}
    )
    response = web_client.get(reverse("cases:inbox"))

    assert switched.status_code == 302
    assert switched.headers["Location"] == reverse("cases:inbox")
    assert response.headers["Content-Language"] == "en"
    content = response.content.decode()
    assert "Case inbox" in content
    assert "Log out" in content
    assert 'lang="en"' in content


def test_french_is_the_default_on_the_inbox(web_client: Client) -> None:
    response = web_client.get(reverse("cases:inbox"))

    content = response.content.decode()
    assert "Boîte de réception des dossiers" in content
    assert "Se déconnecter" in content
    assert 'value="en"' in content
