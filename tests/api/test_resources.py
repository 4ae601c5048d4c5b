"""Happy paths of every resource: create, read, update, nested rows and actions."""

from __future__ import annotations

from django.test import Client

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.commerce.models import TrackingEvent
from amiable.customers.models import Customer
from tests.api.conftest import ClientFor
from tests.factories import (
    CustomerFactory,
    OrderFactory,
    ProductFactory,
    ShipmentFactory,
)
from tests.factories.cases import CaseCategoryFactory, RootCauseFactory

JSON = "application/json"


def test_me_describes_the_caller(api_client: Client, agent: User) -> None:
    body = api_client.get("/api/v1/me").json()

    assert body["username"] == "agent"
    assert body["role"] == "agent"
    assert body["team"] == {"id": agent.team_id, "name": "Service client"}


def test_customer_create_read_update(api_client: Client) -> None:
    created = api_client.post(
        "/api/v1/customers",
        data={
            "name": "  Zoë Ñandú ",
            "tags": ["vip", "fidèle"],
            "identities": [
                {"kind": "email", "value": "Zoe@Exemple.FR"},
                {"kind": "phone", "value": "06 12 34 56 78"},
            ],
        },
        content_type=JSON,
    ).json()
    url = f"/api/v1/customers/{created['id']}"

    updated = api_client.patch(
        url, data={"preferred_language": "en", "tags": ["vip"]}, content_type=JSON
    ).json()
    identities = api_client.get(f"{url}/identities").json()

    assert created["name"] == "Zoë Ñandú"
    assert created["tags"] == ["fidèle", "vip"]
    assert updated["preferred_language"] == "en"
    assert updated["tags"] == ["vip"]
    assert sorted(i["normalized"] for i in identities) == [
        "+33612345678",
        "zoe@exemple.fr",
    ]


def test_identity_taken_by_another_customer_gives_409(
    api_client: Client, customer: Customer
) -> None:
    other = CustomerFactory.create()
    api_client.post(
        f"/api/v1/customers/{other.pk}/identities",
        data={"kind": "email", "value": "pris@exemple.fr"},
        content_type=JSON,
    )

    response = api_client.post(
        f"/api/v1/customers/{customer.pk}/identities",
        data={"kind": "email", "value": "PRIS@exemple.fr"},
        content_type=JSON,
    )

    assert response.status_code == 409
    assert response.json()["code"] == "duplicate"


def test_consents_append_history(api_client: Client, customer: Customer) -> None:
    url = f"/api/v1/customers/{customer.pk}/consents"
    for granted in (True, False):
        api_client.post(
            url,
            data={"purpose": "surveys", "is_granted": granted, "source": "web"},
            content_type=JSON,
        )

    history = api_client.get(url).json()

    assert [row["is_granted"] for row in history] == [False, True]


def test_address_and_fact(api_client: Client, customer: Customer) -> None:
    url = f"/api/v1/customers/{customer.pk}"
    address = api_client.post(
        f"{url}/addresses",
        data={"line1": "3 rue de la Paix", "postal_code": "75002", "city": "Paris"},
        content_type=JSON,
    )
    fact = api_client.post(
        f"{url}/facts",
        data={
            "category": "birthday",
            "value": "14 mars",
            "purpose": "souhaiter l'anniversaire",
            "source": "téléphone",
            "noted_on": "2026-01-02",
        },
        content_type=JSON,
    )

    assert address.status_code == 201
    assert address.json()["is_default"] is True
    assert fact.status_code == 201
    assert api_client.get(f"{url}/facts").json()[0]["noted_on"] == "2026-01-02"


def test_merge_and_undo_by_supervisor(client_for: ClientFor, supervisor: User) -> None:
    client = client_for(supervisor)
    source = CustomerFactory.create()
    target = CustomerFactory.create()
    OrderFactory.create(customer=source)

    merged = client.post(
        "/api/v1/customers/merges",
        data={"source_id": source.pk, "target_id": target.pk},
        content_type=JSON,
    )
    after_merge = client.get(f"/api/v1/customers/{source.pk}").json()["status"]
    undone = client.post(f"/api/v1/customers/merges/{merged.json()['id']}/undo")

    assert merged.status_code == 201
    assert merged.json()["moved_counts"] == {"commerce.order": 1}
    assert after_merge == "merged"
    assert undone.status_code == 200
    assert client.get(f"/api/v1/customers/{source.pk}").json()["status"] == "active"


def test_product_catalogue_by_admin(client_for: ClientFor, admin_user: User) -> None:
    client = client_for(admin_user)

    created = client.post(
        "/api/v1/products",
        data={"sku": "TSHIRT-M", "name": "T-shirt", "price": "19.90"},
        content_type=JSON,
    )
    updated = client.patch(
        f"/api/v1/products/{created.json()['id']}",
        data={"price": "17.5"},
        content_type=JSON,
    )
    duplicate = client.post(
        "/api/v1/products",
        data={"sku": "TSHIRT-M", "name": "Autre", "price": "1"},
        content_type=JSON,
    )

    assert created.status_code == 201
    assert created.json()["price"] == "19.90"
    assert updated.json()["price"] == "17.50"
    assert duplicate.status_code == 409


def test_order_with_lines_shipment_and_tracking(
    api_client: Client, customer: Customer
) -> None:
    product = ProductFactory.create(name="Théière")
    order = api_client.post(
        "/api/v1/orders",
        data={
            "customer_id": customer.pk,
            "external_ref": "CMD-2026-1",
            "placed_at": "2026-03-01T09:30:00+01:00",
            "lines": [{"product_id": product.pk, "quantity": 2, "unit_price": "12.45"}],
            "promised_delivery_date": "2026-03-05",
        },
        content_type=JSON,
    ).json()
    shipment = api_client.post(
        f"/api/v1/orders/{order['id']}/shipments",
        data={"carrier": "Colissimo", "tracking_number": "6A123"},
        content_type=JSON,
    ).json()
    event = {
        "external_id": "evt-1",
        "status": "delivered",
        "occurred_at": "2026-03-04T15:00:00+01:00",
        "location": "Lyon",
    }
    url = f"/api/v1/shipments/{shipment['id']}/tracking-events"

    first = api_client.post(url, data=event, content_type=JSON)
    replay = api_client.post(url, data=event, content_type=JSON)
    detail = api_client.get(f"/api/v1/orders/{order['id']}").json()

    assert order["total"] == "24.90"
    assert order["placed_at"] == "2026-03-01T08:30:00Z"
    assert order["lines"][0]["product_name"] == "Théière"
    assert (first.status_code, replay.status_code) == (201, 200)
    assert first.json()["id"] == replay.json()["id"]
    assert TrackingEvent.objects.count() == 1
    assert detail["status"] == "delivered"
    assert detail["shipments"][0]["events"][0]["location"] == "Lyon"


def test_interaction_external_id_is_recorded_once(
    api_client: Client, customer: Customer
) -> None:
    body = {
        "customer_id": customer.pk,
        "channel": "sms",
        "direction": "inbound",
        "body_text": "Où est ma commande ?",
        "external_id": "sms-77",
    }

    first = api_client.post("/api/v1/interactions", data=body, content_type=JSON)
    again = api_client.post("/api/v1/interactions", data=body, content_type=JSON)
    fetched = api_client.get(f"/api/v1/interactions/{first.json()['id']}")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert fetched.json()["body_text"] == "Où est ma commande ?"


def test_case_lifecycle(api_client: Client, agent: User, customer: Customer) -> None:
    order = OrderFactory.create(customer=customer)
    opened = api_client.post(
        "/api/v1/cases",
        data={
            "customer_id": customer.pk,
            "subject": "Colis jamais reçu",
            "kind": "complaint",
            "body_text": "Je n'ai rien reçu.",
            "order_ids": [order.pk],
        },
        content_type=JSON,
    ).json()
    url = f"/api/v1/cases/{opened['id']}"

    assigned = api_client.post(
        f"{url}/assign", data={"assignee_id": agent.pk}, content_type=JSON
    ).json()
    reply = api_client.post(
        f"{url}/replies",
        data={"body_text": "Nous enquêtons.", "status": "waiting_customer"},
        content_type=JSON,
    )
    note = api_client.post(
        f"{url}/notes", data={"body_text": "Transporteur relancé."}, content_type=JSON
    )
    call = api_client.post(
        f"{url}/calls",
        data={"direction": "outbound", "duration_seconds": 120, "outcome": "answered"},
        content_type=JSON,
    )
    cause = RootCauseFactory.create(code="carrier-lost")
    CaseCategoryFactory.create(code="delivery")
    resolved = api_client.post(
        f"{url}/resolve",
        data={
            "resolution_summary": "Colis renvoyé, reçu par la cliente.",
            "category": "delivery",
            "root_cause_id": cause.pk,
        },
        content_type=JSON,
    ).json()
    timeline = api_client.get(f"/api/v1/interactions?case_id={opened['id']}").json()

    assert opened["reference"].startswith("C-")
    assert opened["order_ids"] == [order.pk]
    assert opened["status"] == "new"
    assert assigned["assignee"]["id"] == agent.pk
    assert assigned["status"] == "open"
    assert (reply.status_code, note.status_code, call.status_code) == (201, 201, 201)
    assert resolved["status"] == "resolved"
    assert resolved["resolution_summary"] == "Colis renvoyé, reçu par la cliente."
    assert (resolved["category"], resolved["root_cause_id"]) == ("delivery", cause.pk)
    assert resolved["allowed_statuses"] == ["closed", "open"]
    assert len(timeline["items"]) == 4


def test_case_link_orders_of_another_customer_gives_422(
    api_client: Client, team_case: Case
) -> None:
    foreign = OrderFactory.create()

    response = api_client.post(
        f"/api/v1/cases/{team_case.pk}/orders",
        data={"order_ids": [foreign.pk]},
        content_type=JSON,
    )

    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["order_ids"]
    assert team_case.orders.count() == 0


def test_shipment_duplicate_tracking_gives_409(api_client: Client) -> None:
    existing = ShipmentFactory.create(carrier="DHL", tracking_number="JD1")

    response = api_client.post(
        f"/api/v1/orders/{existing.order_id}/shipments",
        data={"carrier": "DHL", "tracking_number": "JD1"},
        content_type=JSON,
    )

    assert response.status_code == 409
    assert response.json()["code"] == "duplicate"
