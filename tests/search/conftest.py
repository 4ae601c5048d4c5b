"""Users for search tests, made without hashing a password (hashing costs ~1 s)."""

from __future__ import annotations

import pytest

from amiable.accounts.models import Role, Team, User
from tests.factories import TeamFactory, UserFactory


@pytest.fixture
def searcher(db: None) -> User:
    """An administrator: sees every case, so scope does not hide search results."""
    return UserFactory.create(
        username="searcher", role=Role.ADMIN, team=None, password=None
    )


@pytest.fixture
def search_team(db: None) -> Team:
    return TeamFactory.create(name="Recherche")


@pytest.fixture
def team_agent(search_team: Team) -> User:
    return UserFactory.create(
        username="team-agent", role=Role.AGENT, team=search_team, password=None
    )


@pytest.fixture
def outside_agent(db: None) -> User:
    return UserFactory.create(
        username="outside-agent",
        role=Role.AGENT,
        team=TeamFactory.create(name="Ailleurs"),
        password=None,
    )
