"""The personal data API per role: anonymous, a customer signed in to the portal,
agents (of the team or not), supervisor, quality manager, administrator."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from amiable.accounts.models import User
from amiable.audit.models import AuditEvent
from amiable.customers.models import Customer
from amiable.privacy.models import DataRequest, RequestKind, RequestStatus
from tests.factories import CustomerFactory
from tests.portal.conftest import signed_in

pytestmark = pytest.mark.django_db
URL = "/api/v1/privacy/requests"
JSON = "application/json"
ROLES = [
    "anonymous",
    "customer_link",
    "other_agent",
    "agent",
    "supervisor",
    "quality_manager",
    "admin_user",
]


@pytest.fixture
def client_of(
    request: pytest.FixtureRequest,
    token_for: Callable[[User], str],
    helene: Customer,
) -> Callable[[str], Client]:
    def make(role: str) -> Client:
        if role == "anonymous":
            return Client()
        if role == "customer_link":
            return signed_in(helene)
        user = request.getfixturevalue(role)
        return Client(headers={"Authorization": f"Bearer {token_for(user)}"})

    return make


def _done_export(customer: Customer, by: User) -> DataRequest:
    from amiable.privacy.services import data_request_create, data_request_run

    request = data_request_create(actor=by, customer=customer, kind="export")
    return data_request_run(request_id=request.pk)


@pytest.mark.parametrize(
    ("role", "kind", "status"),
    [
        ("anonymous", "export", 401),
        ("customer_link", "export", 401),
        ("other_agent", "export", 403),
        ("agent", "export", 403),
        ("agent", "erasure", 403),
        ("supervisor", "export", 201),
        ("supervisor", "erasure", 403),
        ("quality_manager", "export", 201),
        ("admin_user", "export", 201),
        ("admin_user", "erasure", 201),
    ],
)
def test_asking_per_role(
    client_of: Callable[[str], Client],
    helene: Customer,
    role: str,
    kind: str,
    status: int,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(role).post(
            URL,
            {"customer_id": helene.pk, "kind": kind},
            content_type=JSON,
        )

    assert response.status_code == status, response.content
    assert DataRequest.objects.exists() is (status == 201)
    if status == 201:
        body = response.json()
        assert body["kind"] == kind
        assert body["customer_id"] == helene.pk
        assert body["status"] == RequestStatus.PENDING  # answered before it runs
        assert DataRequest.objects.get().status == RequestStatus.DONE  # after commit
        assert body["due_at"] > body["requested_at"]
    else:
        assert response.json()["code"] in {"not_authenticated", "permission_denied"}


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"customer_id": 999_999, "kind": "export"}, 404, "customer_id"),
        ({"customer_id": 1, "kind": "forget"}, 422, "kind"),
        ({"kind": "export"}, 422, "customer_id"),
        ({"customer_id": 1, "kind": "export", "why": "x"}, 422, "why"),
    ],
)
def test_bad_requests_are_refused_with_the_field(
    client_of: Callable[[str], Client],
    payload: dict[str, Any],
    status: int,
    field: str,
) -> None:
    response = client_of("admin_user").post(URL, payload, content_type=JSON)

    assert response.status_code == status
    assert field in str(response.json()["fields"])
    assert not DataRequest.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("customer_link", 401),
        ("other_agent", 403),
        ("agent", 403),
        ("supervisor", 200),
        ("quality_manager", 200),
        ("admin_user", 200),
    ],
)
def test_reading_and_downloading_per_role(
    client_of: Callable[[str], Client],
    helene: Customer,
    admin_user: User,
    role: str,
    status: int,
) -> None:
    export = _done_export(helene, admin_user)
    downloads = AuditEvent.objects.filter(action="privacy.export_download")
    downloads_before = downloads.count()
    client = client_of(role)

    listed = client.get(URL, {"customer_id": helene.pk})
    one = client.get(f"{URL}/{export.pk}")
    archive = client.get(f"{URL}/{export.pk}/archive")

    assert (listed.status_code, one.status_code, archive.status_code) == (status,) * 3
    assert downloads.count() - downloads_before == (1 if status == 200 else 0)
    if status == 200:
        assert [item["id"] for item in listed.json()["items"]] == [export.pk]
        assert one.json()["has_archive"] is True
        assert archive["Content-Type"] == "application/zip"
        assert archive["Cache-Control"] == "no-store"
        content = b"".join(archive.streaming_content)  # type: ignore[attr-defined]
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            assert "customers.json" in zf.namelist()
        event = downloads.latest("pk")
        assert event.object_id == str(export.pk)


def test_an_unknown_or_unready_request_is_404(
    client_of: Callable[[str], Client], helene: Customer, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = client_of("admin_user")
    pending = client.post(
        URL,
        {"customer_id": helene.pk, "kind": "export"},
        content_type=JSON,
    ).json()

    assert client.get(f"{URL}/999999").status_code == 404
    response = client.get(f"{URL}/{pending['id']}/archive")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_list_is_keyset_paginated_in_a_fixed_number_of_queries(
    client_of: Callable[[str], Client],
    admin_user: User,
    django_assert_max_num_queries: Any,
) -> None:
    customers = CustomerFactory.create_batch(30)
    DataRequest.objects.bulk_create(
        DataRequest(
            kind=RequestKind.EXPORT,
            source="staff",
            customer=customer,
            requested_by=admin_user,
            requested_at="2026-03-01T10:00:00+01:00",
            due_at="2026-04-01T23:59:59+02:00",
        )
        for customer in customers
    )
    client = client_of("admin_user")

    with django_assert_max_num_queries(6):
        first = client.get(URL, {"limit": 20})
    second = client.get(URL, {"limit": 20, "cursor": first.json()["next_cursor"]})

    ids = [item["id"] for item in first.json()["items"] + second.json()["items"]]
    assert len(ids) == len(set(ids)) == 30
    assert second.json()["next_cursor"] is None
