"""createadmin and the API token commands."""

from __future__ import annotations

import io
import re

import pytest

from amiable.accounts.models import ApiToken, Role, User
from amiable.accounts.services import token_authenticate, token_create
from amiable.cli import main
from tests.factories import UserFactory

STRONG_PASSWORD = "tournesol-Velo-42"  # noqa: S105


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


@pytest.mark.django_db
def test_createadmin_reads_the_password_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, STRONG_PASSWORD + "\n")

    status = main(
        [
            "createadmin",
            "--username",
            "root",
            "--email",
            "root@example.com",
            "--password-stdin",
        ]
    )

    user = User.objects.get(username="root")
    assert (status, capsys.readouterr().out) == (0, "Administrator 'root' created.\n")
    assert (user.role, user.is_staff, user.is_superuser, user.email) == (
        Role.ADMIN,
        True,
        True,
        "root@example.com",
    )
    assert user.check_password(STRONG_PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (
            ["createadmin", "--password-stdin"],
            "123\n",
            "amiable: error: This password is too short. It must contain at least "
            "12 characters. This password is too common. This password is entirely "
            "numeric.",
        ),
        (
            ["createadmin", "--password-stdin"],
            "98765432109\n",
            "amiable: error: This password is too short. It must contain at least "
            "12 characters. This password is entirely numeric.",
        ),
        (
            ["createadmin", "--password-stdin"],
            "987654321098\n",
            "amiable: error: This password is entirely numeric.",
        ),
        (
            ["createadmin", "--password-stdin"],
            "password1234\n",
            "amiable: error: This password is too common.",
        ),
        (
            ["createadmin", "--username=dominique.lefebvre", "--password-stdin"],
            "dominique.lefebvre1\n",
            "amiable: error: The password is too similar to the username.",
        ),
        (
            ["createadmin", "--email=camille.durand@example.com", "--password-stdin"],
            "camille.durand@example\n",
            "amiable: error: The password is too similar to the email address.",
        ),
        (
            ["createadmin"],
            "",
            "amiable: error: no terminal to ask for the password: use --password-stdin",
        ),
        (
            ["createadmin", "--password-stdin"],
            "\n",
            "amiable: error: the password is empty",
        ),
    ],
)
def test_createadmin_refuses_bad_input(
    argv: list[str],
    stdin: str,
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _stdin(monkeypatch, stdin)

    status = main(argv)

    assert (status, capsys.readouterr().err) == (1, message + "\n")
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_createadmin_refuses_a_taken_username(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    UserFactory.create(username="admin")
    _stdin(monkeypatch, STRONG_PASSWORD + "\n")

    status = main(["createadmin", "--password-stdin"])

    assert (status, capsys.readouterr().err) == (
        1,
        "amiable: error: This username is taken.\n",
    )


@pytest.mark.django_db
def test_token_create_prints_a_working_token_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    user = UserFactory.create(username="api-client")

    status = main(["token", "create", "api-client", "--name", "crm sync"])

    captured = capsys.readouterr()
    token = ApiToken.objects.get(user=user)
    assert status == 0
    assert re.fullmatch(rf"amb_{token.prefix}_[\w-]{{43}}\n", captured.out)
    assert token_authenticate(plaintext=captured.out.strip()) == user
    assert token.name == "crm sync"
    assert captured.err == (
        f"Token {token.prefix} for api-client: store it now, it is not shown again.\n"
    )


@pytest.mark.django_db
def test_token_create_for_an_unknown_user_fails(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = main(["token", "create", "ghost"])

    assert (status, capsys.readouterr().err) == (
        1,
        "amiable: error: no active user named 'ghost'\n",
    )
    assert ApiToken.objects.count() == 0


@pytest.mark.django_db
def test_token_revoke_by_prefix(capsys: pytest.CaptureFixture[str]) -> None:
    user = UserFactory.create()
    issued = token_create(actor=None, user=user, name="old laptop")

    status = main(["token", "revoke", issued.token.prefix])

    issued.token.refresh_from_db()
    assert (status, capsys.readouterr().out) == (
        0,
        f"Token {issued.token.prefix} (old laptop) revoked.\n",
    )
    assert issued.token.revoked_at is not None
    assert token_authenticate(plaintext=issued.plaintext) is None


@pytest.mark.django_db
def test_token_revoke_of_an_unknown_prefix_fails(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = main(["token", "revoke", "deadbeef"])

    assert (status, capsys.readouterr().err) == (
        1,
        "amiable: error: no token with prefix 'deadbeef'\n",
    )
