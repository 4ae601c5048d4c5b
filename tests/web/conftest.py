"""Fixtures of the web tests."""

from __future__ import annotations

import pytest
from django.test import Client

from amiable.accounts.models import User


@pytest.fixture
def supervisor_client(supervisor: User) -> Client:
    client = Client()
    client.force_login(supervisor)
    return client


@pytest.fixture
def other_client(other_agent: User) -> Client:
    client = Client()
    client.force_login(other_agent)
    return client


HTMX = {"HX-Request": "true"}
