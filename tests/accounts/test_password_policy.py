"""The password policy of staff accounts (issue 16 item 2): at least 12 characters,
not common, not all digits, not like the person's own name or address, hashed with
Argon2id. ``createadmin``'s refusals are in tests/cli/test_access.py."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from amiable.accounts.models import Role, User
from amiable.accounts.services import user_create
from amiable.config import settings as configured


@pytest.mark.django_db
def test_new_passwords_are_hashed_with_argon2id() -> None:
    # The suite hashes with MD5 for speed; this is the deployment's setting.
    with override_settings(PASSWORD_HASHERS=configured.PASSWORD_HASHERS):
        user = user_create(
            actor=None,
            username="nadia",
            password="tournesol-Velo-42",  # noqa: S106
            role=Role.AGENT,
        )

        assert user.password.startswith("argon2$argon2id$")
        assert user.check_password("tournesol-Velo-42")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("98765432109", "This password is too short."),
        ("987654321098", "This password is entirely numeric."),
        ("password1234", "This password is too common."),
        ("nadia.benali-1", "The password is too similar to the username."),
    ],
)
def test_an_administrator_cannot_give_a_staff_member_a_weak_password(
    admin_user: User, password: str, message: str
) -> None:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "nadia.benali",
            "email": "",
            "role": Role.AGENT,
            "team": "",
            "usable_password": "true",
            "password1": password,
            "password2": password,
        },
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="nadia.benali").exists()


def test_an_administrator_gives_a_staff_member_a_good_password(
    admin_user: User,
) -> None:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "nadia.benali",
            "email": "",
            "role": Role.AGENT,
            "team": "",
            "usable_password": "true",
            "password1": "tournesol-Velo-42",
            "password2": "tournesol-Velo-42",
        },
    )

    assert response.status_code == 302
    assert User.objects.get(username="nadia.benali").check_password("tournesol-Velo-42")
