"""The Django admin: administrators only, and list pages without N+1 queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from amiable.accounts.models import Role, User
from tests.factories import CaseFactory, InteractionFactory, UserFactory

CHANGELISTS = [
    "accounts_user",
    "accounts_team",
    "accounts_apitoken",
    "customers_customer",
    "customers_identity",
    "customers_consent",
    "commerce_product",
    "commerce_order",
    "commerce_shipment",
    "conversations_interaction",
    "cases_case",
    "cases_savedview",
    "audit_auditevent",
    "django_tasks_database_dbtaskresult",
]


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def role_admin(db: None) -> User:
    """An administrator by role, without Django superuser rights."""
    return UserFactory.create(
        username="boss", role=Role.ADMIN, team=None, is_staff=True
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", CHANGELISTS)
def test_administrators_see_every_list(role_admin: User, name: str) -> None:
    response = _client(role_admin).get(reverse(f"admin:{name}_changelist"))

    assert response.status_code == 200


@pytest.mark.django_db
def test_staff_of_other_roles_cannot_open_the_admin() -> None:
    supervisor = UserFactory.create(role=Role.SUPERVISOR, is_staff=True)

    response = _client(supervisor).get(reverse("admin:cases_case_changelist"))

    assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "factory"),
    [("cases_case", CaseFactory), ("conversations_interaction", InteractionFactory)],
)
def test_lists_use_a_fixed_number_of_queries(
    role_admin: User, name: str, factory: type[CaseFactory]
) -> None:
    client = _client(role_admin)
    url = reverse(f"admin:{name}_changelist")
    factory.create_batch(2)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    factory.create_batch(6)

    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert response.status_code == 200
    assert len(many) == len(few)
