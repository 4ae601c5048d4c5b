"""The customer asks for a copy of their data from the portal and downloads it;
nobody else's copy is reachable, and every download is an audit line."""

from __future__ import annotations

import io
import zipfile
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client

from amiable.audit.models import AuditEvent
from amiable.customers.models import Customer
from amiable.privacy.models import DataRequest, RequestSource, RequestStatus
from tests.factories import CustomerFactory
from tests.portal.conftest import signed_in

pytestmark = pytest.mark.django_db
ASK = "/portal/my-data/"


def _ask(client: Client, capture: Any) -> Any:
    """Ask, let the export run after the commit, then open the page it leads to."""
    with capture(execute=True):
        response = client.post(ASK)
    assert response.status_code == 302
    return client.get(response["Location"])


def test_the_customer_asks_then_downloads_their_copy(
    helene: Customer, django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in(helene)
    home = client.get("/portal/").content.decode()
    assert 'data-testid="portal-privacy-export"' in home

    page = _ask(client, django_capture_on_commit_callbacks)

    request = DataRequest.objects.get()
    assert (request.source, request.status) == (
        RequestSource.PORTAL,
        RequestStatus.DONE,
    )
    assert request.requested_by is None
    assert f"/portal/my-data/{request.pk}/" in page.content.decode()
    download = client.get(f"/portal/my-data/{request.pk}/")
    assert download.status_code == 200
    assert download["Cache-Control"] == "no-store"
    content = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert "Hélène Dupré-Lefèvre" in archive.read("customers.json").decode()
    event = AuditEvent.objects.get(action="privacy.export_download")
    assert (event.actor_label, event.object_id) == ("customer", str(request.pk))


def test_asking_again_the_same_day_answers_the_same_copy(
    helene: Customer, django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in(helene)
    _ask(client, django_capture_on_commit_callbacks)

    page = _ask(client, django_capture_on_commit_callbacks)

    assert DataRequest.objects.count() == 1
    assert "Votre copie du jour est prête" in page.content.decode()


def test_another_customers_copy_is_not_found(
    helene: Customer, django_capture_on_commit_callbacks: Any
) -> None:
    _ask(signed_in(helene), django_capture_on_commit_callbacks)
    request = DataRequest.objects.get()
    other = signed_in(CustomerFactory.create(name="Bob Taylor"))

    response = other.get(f"/portal/my-data/{request.pk}/")

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="privacy.export_download").exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_without_signing_in_nothing_happens(helene: Customer, method: str) -> None:
    path = ASK if method == "post" else f"{ASK}1/"
    response = getattr(Client(), method)(path)

    assert response.status_code == 302
    assert response["Location"] == f"/portal/?next={quote(path, safe='')}"
    assert not DataRequest.objects.exists()


def test_staff_signed_in_see_no_portal_panel_on_the_staff_page(
    helene: Customer, agent: Any
) -> None:
    client = Client()
    client.force_login(agent)

    response = client.post(ASK)

    assert response.status_code == 302  # the staff session is not a customer's
    assert not DataRequest.objects.exists()
