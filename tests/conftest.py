"""Shared fixtures: users of each role, a team, and API/web clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.test import Client, override_settings

from amiable.accounts.models import Role, Team, User
from amiable.accounts.services import token_create
from amiable.core.config_cache import config_caches_forget
from tests.factories import TEST_PASSWORD, TeamFactory, UserFactory

# Real peers any test may use: an SMTP server that keeps what it receives, dovecot,
# an S3-compatible server (moto).
pytest_plugins = [
    "tests.peers.mail_sink",
    "tests.peers.dovecot",
    "tests.peers.s3_server",
]


@pytest.fixture(autouse=True)
def _fast_hashing_and_private_media(tmp_path: Path) -> Iterator[None]:
    """PBKDF2 costs ~0.5 s per test user and tests need no strength; attachments a
    test stores go to its own temporary directory."""
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=tmp_path / "media",
    ):
        yield


@pytest.fixture(autouse=True)
def _fresh_configuration_caches() -> Iterator[None]:
    """Each test starts without the routing rules and SLA policies another test
    cached (its rows were rolled back, which sends no signal)."""
    config_caches_forget()
    yield
    config_caches_forget()


@pytest.fixture
def team(db: None) -> Team:
    return TeamFactory.create(name="Service client")


@pytest.fixture
def other_team(db: None) -> Team:
    return TeamFactory.create(name="Litiges")


@pytest.fixture
def agent(team: Team) -> User:
    return UserFactory.create(username="agent", role=Role.AGENT, team=team)


@pytest.fixture
def other_agent(other_team: Team) -> User:
    return UserFactory.create(username="other", role=Role.AGENT, team=other_team)


@pytest.fixture
def supervisor(team: Team) -> User:
    return UserFactory.create(username="supervisor", role=Role.SUPERVISOR, team=team)


@pytest.fixture
def quality_manager(db: None) -> User:
    return UserFactory.create(username="quality", role=Role.QUALITY_MANAGER, team=None)


@pytest.fixture
def admin_user(db: None) -> User:
    return UserFactory.create(
        username="admin", role=Role.ADMIN, team=None, is_staff=True, is_superuser=True
    )


@pytest.fixture
def password() -> str:
    return TEST_PASSWORD


@pytest.fixture
def web_client(agent: User) -> Client:
    client = Client()
    client.force_login(agent)
    return client


@pytest.fixture
def token_for() -> Callable[[User], str]:
    def make(user: User) -> str:
        return token_create(actor=user, user=user, name="tests").plaintext

    return make


@pytest.fixture
def api_client(agent: User, token_for: Callable[[User], str]) -> Client:
    return Client(headers={"Authorization": f"Bearer {token_for(agent)}"})
