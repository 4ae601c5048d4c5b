"""Staff pages: the « Personal data » panel of the customer page, asking for an
export or an erasure there, the register of requests, the audited download."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from amiable.accounts.models import User
from amiable.audit.models import AuditEvent
from amiable.customers.models import Customer
from amiable.privacy.models import DataRequest, RequestKind
from amiable.privacy.services import data_request_create, data_request_run
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
ROLES = [
    "anonymous",
    "other_agent",
    "agent",
    "supervisor",
    "quality_manager",
    "admin_user",
]


def _client(request: pytest.FixtureRequest, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


@pytest.mark.parametrize(
    ("role", "sees_panel", "can_erase"),
    [
        ("agent", False, False),
        ("supervisor", True, False),
        ("quality_manager", True, False),
        ("admin_user", True, True),
    ],
)
def test_the_panel_shows_to_those_who_may_export(
    request: pytest.FixtureRequest,
    helene: Customer,
    role: str,
    sees_panel: bool,
    can_erase: bool,
) -> None:
    page = _client(request, role).get(reverse("customers:detail", args=[helene.pk]))

    body = page.content.decode()
    assert page.status_code == 200
    assert ('id="customer-privacy"' in body) is sees_panel
    assert ('data-testid="privacy-erase"' in body) is can_erase
    if sees_panel:
        assert "Aucun export ni effacement demandé pour ce client." in body


@pytest.mark.parametrize(
    ("role", "kind", "status", "created"),
    [
        ("anonymous", "export", 302, False),
        ("agent", "export", 403, False),
        ("supervisor", "export", 302, True),
        ("supervisor", "erasure", 403, False),
        ("admin_user", "erasure", 302, True),
    ],
)
def test_asking_from_the_customer_page(
    request: pytest.FixtureRequest,
    helene: Customer,
    role: str,
    kind: str,
    status: int,
    created: bool,
    django_capture_on_commit_callbacks: Any,
) -> None:
    url = reverse("privacy:customer_request", args=[helene.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(request, role).post(url, {"kind": kind, "confirm": "yes"})

    assert response.status_code == status
    assert DataRequest.objects.filter(kind=kind).exists() is created
    if created:
        assert response["Location"] == reverse("customers:detail", args=[helene.pk])


def test_an_erasure_needs_the_box_ticked(helene: Customer, admin_user: User) -> None:
    client = Client()
    client.force_login(admin_user)
    url = reverse("privacy:customer_request", args=[helene.pk])

    response = client.post(url, {"kind": "erasure"}, follow=True)

    text = html.unescape(response.content.decode())
    assert "Cochez la case pour confirmer l'effacement." in text
    assert not DataRequest.objects.exists()
    assert Customer.objects.get(pk=helene.pk).name == helene.name


def test_the_panel_lists_the_requests_with_the_kept_records(
    helene: Customer, admin_user: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        data_request_create(actor=admin_user, customer=helene, kind="export")
        data_request_create(actor=admin_user, customer=helene, kind="erasure")
    client = Client()
    client.force_login(admin_user)
    client.cookies["django_language"] = "en"

    body = client.get(
        reverse("customers:detail", args=[helene.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert "What was kept, and why" in body
    assert "French commercial code art. L123-22" in body
    # The export made before the erasure was deleted with the person's data.
    assert "Download the export" not in body


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("other_agent", 403),
        ("agent", 403),
        ("supervisor", 200),
        ("quality_manager", 200),
        ("admin_user", 200),
    ],
)
def test_the_register_and_the_download_per_role(
    request: pytest.FixtureRequest,
    helene: Customer,
    admin_user: User,
    role: str,
    status: int,
) -> None:
    export = data_request_run(
        request_id=data_request_create(
            actor=admin_user, customer=helene, kind="export"
        ).pk
    )
    client = _client(request, role)

    listed = client.get(reverse("privacy:list"))
    archive = client.get(reverse("privacy:archive", args=[export.pk]))

    assert (listed.status_code, archive.status_code) == (status, status)
    audited = AuditEvent.objects.filter(action="privacy.export_download").count()
    assert audited == (1 if status == 200 else 0)
    if status == 200:
        assert helene.name in listed.content.decode()
        assert archive["Content-Disposition"].startswith("attachment;")


def test_the_register_is_empty_then_paged_in_fixed_queries(
    supervisor: User, admin_user: User, django_assert_max_num_queries: Any
) -> None:
    client = Client()
    client.force_login(supervisor)
    empty = client.get(reverse("privacy:list"))
    assert "Aucune demande sur les données personnelles" in empty.content.decode()
    DataRequest.objects.bulk_create(
        DataRequest(
            kind=RequestKind.ERASURE,
            source="retention",
            policy="prospects",
            customer=customer,
            requested_at="2026-03-01T10:00:00+01:00",
            due_at="2026-04-01T23:59:59+02:00",
        )
        for customer in CustomerFactory.create_batch(60)
    )

    with django_assert_max_num_queries(12):
        page = client.get(reverse("privacy:list"), {"kind": "erasure"})

    body = page.content.decode()
    assert body.count("Politique de conservation") == 50
    assert "cursor=" in body
