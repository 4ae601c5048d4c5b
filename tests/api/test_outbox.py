"""Replying on the channel the customer used: a social, chat or web-form reply
waits in the outbox; the integration reads ``GET /api/v1/outbox`` (keyset
pages, documented in the OpenAPI document) and acknowledges each message; the
timeline shows where it stands. Only an administrator's token reads the outbox."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jsonschema_rs
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from amiable.accounts.models import User
from amiable.audit.models import AuditEvent
from amiable.cases.models import Case
from amiable.conversations.delivery import interaction_deliver
from amiable.conversations.models import (
    Channel,
    Direction,
    Interaction,
    OutboxMessage,
    OutboxStatus,
)
from amiable.customers.models import IdentityKind
from amiable.portal.signing import LinkPage, link_token_make
from tests.api.conftest import ClientFor
from tests.factories import CaseFactory, IdentityFactory, InteractionFactory

OUTBOX = "/api/v1/outbox"
JSON = "application/json"


def _social_case(agent: User) -> Case:
    case = CaseFactory.create(
        team=agent.team, channel=Channel.SOCIAL, subject="Message Instagram"
    )
    IdentityFactory.create(
        customer=case.customer,
        kind=IdentityKind.SOCIAL,
        value="@lea.durand",
        normalized="lea.durand",
        platform="instagram",
    )
    InteractionFactory.create(
        customer=case.customer,
        case=case,
        channel=Channel.SOCIAL,
        external_id="ig-123",
        body_text="Mon colis ?",
    )
    return case


def _reply(
    client: Client, case: Case, capture: Callable[..., Any], **fields: str
) -> Any:
    with capture(execute=True):
        return client.post(
            f"/cases/{case.pk}/reply/",
            {"body": "Il part demain.", "version": case.version} | fields,
        )


@pytest.fixture
def document(db: None) -> dict[str, Any]:
    return Client().get("/api/v1/openapi.json").json()


def _conforms(document: dict[str, Any], path: str, method: str, body: Any) -> None:
    """The body matches the 200 response documented for the operation."""
    schema = document["paths"][path][method]["responses"]["200"]["content"][JSON][
        "schema"
    ]
    resolver = {"components": document["components"], **schema}
    jsonschema_rs.validate(resolver, body)


def test_the_composer_defaults_to_the_customers_channel(
    web_client: Client, agent: User
) -> None:
    case = _social_case(agent)

    page = web_client.get(f"/cases/{case.pk}/").content.decode()

    assert '<option value="social" selected>' in page


@pytest.mark.django_db
def test_a_social_reply_waits_in_the_outbox_and_is_acknowledged(
    web_client: Client,
    agent: User,
    admin_user: User,
    client_for: ClientFor,
    document: dict[str, Any],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    case = _social_case(agent)

    response = _reply(
        web_client, case, django_capture_on_commit_callbacks, channel="social"
    )

    assert response.status_code == 302
    reply = Interaction.objects.get(direction=Direction.OUTBOUND)
    assert (reply.channel, reply.metadata["delivery"]) == (Channel.SOCIAL, "queued")
    page = web_client.get(f"/cases/{case.pk}/").content.decode()
    assert "Dans la boîte d’envoi : en attente de l’intégration" in page

    admin = client_for(admin_user)
    listed = admin.get(OUTBOX, {"channel": "social"})
    assert listed.status_code == 200
    _conforms(document, OUTBOX, "get", listed.json())
    [item] = listed.json()["items"]
    assert item["recipient"] == {
        "name": case.customer.name,
        "handle": "lea.durand",
        "platform": "instagram",
        "reply_to_external_id": "ig-123",
    }
    assert (item["body_text"], item["case_reference"]) == (
        "Il part demain.",
        case.reference,
    )
    ack = f"{OUTBOX}/{item['id']}/ack"
    sent = admin.post(
        ack, {"status": "sent", "provider_id": "ig-out-9"}, content_type=JSON
    )
    again = admin.post(
        ack, {"status": "sent", "provider_id": "ig-out-9"}, content_type=JSON
    )
    reversed_ = admin.post(ack, {"status": "failed"}, content_type=JSON)

    assert (sent.status_code, again.status_code) == (200, 200)
    _conforms(document, f"{OUTBOX}/{{outbox_id}}/ack", "post", sent.json())
    assert sent.json()["status"] == "sent"
    assert (reversed_.status_code, reversed_.json()["code"]) == (409, "conflict")
    assert AuditEvent.objects.filter(action="outbox.ack").count() == 1
    reply.refresh_from_db()
    assert (reply.metadata["delivery"], reply.metadata["provider_id"]) == (
        "sent",
        "ig-out-9",
    )
    assert admin.get(OUTBOX, {"channel": "social"}).json()["items"] == []


@pytest.mark.django_db
def test_a_failure_reported_by_the_integration_shows_on_the_case(
    web_client: Client,
    agent: User,
    admin_user: User,
    client_for: ClientFor,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    case = _social_case(agent)
    _reply(web_client, case, django_capture_on_commit_callbacks, channel="social")
    message = OutboxMessage.objects.get()

    response = client_for(admin_user).post(
        f"{OUTBOX}/{message.pk}/ack",
        {"status": "failed", "error": "Compte introuvable"},
        content_type=JSON,
    )

    assert response.status_code == 200
    message.refresh_from_db()
    assert (message.status, message.error) == (
        OutboxStatus.FAILED,
        "Compte introuvable",
    )
    page = web_client.get(f"/cases/{case.pk}/").content.decode()
    assert "Envoi échoué : Compte introuvable" in page
    assert Interaction.objects.filter(
        case=case, channel=Channel.SYSTEM, metadata__activity="delivery_failed"
    ).exists()


@pytest.mark.django_db
def test_a_second_delivery_run_queues_nothing_more(agent: User) -> None:
    case = _social_case(agent)
    reply = InteractionFactory.create(
        customer=case.customer,
        case=case,
        channel=Channel.CHAT,
        direction=Direction.OUTBOUND,
        body_text="Bonjour",
    )

    first = interaction_deliver(interaction_id=reply.pk)
    second = interaction_deliver(interaction_id=reply.pk)

    assert (first, second) == ("queued", "already_queued")
    assert OutboxMessage.objects.count() == 1


@pytest.mark.django_db
def test_a_bad_acknowledgement_names_its_field(
    admin_user: User, client_for: ClientFor, agent: User
) -> None:
    case = _social_case(agent)
    reply = InteractionFactory.create(
        customer=case.customer,
        case=case,
        channel=Channel.SOCIAL,
        direction=Direction.OUTBOUND,
    )
    interaction_deliver(interaction_id=reply.pk)
    message = OutboxMessage.objects.get()

    response = client_for(admin_user).post(
        f"{OUTBOX}/{message.pk}/ack", {"status": "lost"}, content_type=JSON
    )
    missing = client_for(admin_user).post(
        f"{OUTBOX}/999999/ack", {"status": "sent"}, content_type=JSON
    )

    assert response.status_code == 422
    assert "status" in str(response.json()["fields"])
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")


@pytest.mark.django_db
def test_pages_of_the_outbox_are_keyset_and_cost_the_same(
    admin_user: User, client_for: ClientFor, agent: User
) -> None:
    case = _social_case(agent)
    client = client_for(admin_user)

    def add(count: int) -> None:
        for _index in range(count):
            reply = InteractionFactory.create(
                customer=case.customer,
                case=case,
                channel=Channel.SOCIAL,
                direction=Direction.OUTBOUND,
            )
            interaction_deliver(interaction_id=reply.pk)

    def cost() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(OUTBOX, {"limit": 50}).status_code == 200
        return len(captured)

    add(3)
    cost()  # the token's first use of the day is recorded once
    few = cost()
    add(20)
    assert cost() == few
    first = client.get(OUTBOX, {"limit": 10}).json()
    second = client.get(OUTBOX, {"limit": 10, "cursor": first["next_cursor"]}).json()
    ids = [item["id"] for item in first["items"] + second["items"]]
    assert ids == sorted(ids)
    assert len(set(ids)) == 20


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("customer_link", 401),
        ("agent", 403),
        ("other_agent", 403),
        ("supervisor", 403),
        ("quality_manager", 403),
        ("admin_user", 200),
    ],
)
def test_only_an_administrators_token_reads_and_acknowledges(
    request: pytest.FixtureRequest,
    client_for: ClientFor,
    agent: User,
    role: str,
    expected: int,
) -> None:
    case = _social_case(agent)
    reply = InteractionFactory.create(
        customer=case.customer,
        case=case,
        channel=Channel.SOCIAL,
        direction=Direction.OUTBOUND,
    )
    interaction_deliver(interaction_id=reply.pk)
    message = OutboxMessage.objects.get()
    if role in {"anonymous", "customer_link"}:
        client = Client()
        if role == "customer_link":
            token = link_token_make(customer_id=case.customer_id, page=LinkPage.HOME)
            assert client.get(f"/portal/l/{token}/").status_code == 302
    else:
        client = client_for(request.getfixturevalue(role))

    listed = client.get(OUTBOX)
    acked = client.post(
        f"{OUTBOX}/{message.pk}/ack", {"status": "sent"}, content_type=JSON
    )

    assert (listed.status_code, acked.status_code) == (expected, expected)
    message.refresh_from_db()
    assert (message.status == OutboxStatus.SENT) is (expected == 200)
