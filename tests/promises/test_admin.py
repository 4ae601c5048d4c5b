"""Admin pages of promises, warning policies, the tracking quarantine and portal
codes: administrators only; a policy saved there goes through the service."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from amiable.accounts.models import Role
from amiable.audit.models import AuditEvent
from amiable.promises.models import WarningPolicy
from tests.factories import UserFactory
from tests.factories.promises import PromiseFactory

CHANGELISTS = [
    "promises_promise",
    "promises_warningpolicy",
    "commerce_quarantinedtrackingevent",
    "portal_portalcode",
]


@pytest.fixture
def boss(db: None) -> Client:
    client = Client()
    client.force_login(
        UserFactory.create(username="boss", role=Role.ADMIN, team=None, is_staff=True)
    )
    return client


@pytest.mark.parametrize("name", CHANGELISTS)
@pytest.mark.django_db
def test_administrators_see_the_lists(boss: Client, name: str) -> None:
    assert boss.get(reverse(f"admin:{name}_changelist")).status_code == 200


@pytest.mark.django_db
def test_a_policy_added_in_the_admin_is_saved_by_the_service(boss: Client) -> None:
    response = boss.post(
        reverse("admin:promises_warningpolicy_add"),
        {
            "name": "Remboursements lents",
            "is_active": "on",
            "kind": "refund",
            "lead_hours": "72",
            "silence_days": "3",
            "channel": "sms",
            "extension_days": "5",
            "is_owner_notified": "on",
        },
    )

    policy = WarningPolicy.objects.get()
    assert response.status_code == 302
    assert (policy.kind, policy.channel, policy.lead_hours) == ("refund", "sms", 72)
    assert AuditEvent.objects.filter(action="warning_policy.save").count() == 1


@pytest.mark.django_db
def test_the_promise_list_costs_the_same_with_more_rows(boss: Client) -> None:
    url = reverse("admin:promises_promise_changelist")
    PromiseFactory.create_batch(2)
    with CaptureQueriesContext(connection) as few:
        boss.get(url)
    PromiseFactory.create_batch(8)

    with CaptureQueriesContext(connection) as many:
        boss.get(url)

    assert len(many) == len(few)


@pytest.mark.django_db
def test_supervisors_cannot_open_them(db: None) -> None:
    client = Client()
    client.force_login(UserFactory.create(role=Role.SUPERVISOR, is_staff=True))

    response = client.get(reverse("admin:promises_warningpolicy_changelist"))

    assert response.status_code == 403
