"""Tags and custom fields through the API: read on every case schema, set on open
and PATCH (errors name the field, nothing written), ``?tag=`` and ``?field=``
filters, the definitions listed, bulk tag actions; constant queries per page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from amiable.accounts.models import Team, User
from amiable.cases.models import Case, CustomField, CustomFieldKind
from amiable.cases.services import case_classification, case_classify
from amiable.customers.models import Customer
from tests.factories import CaseFactory, CustomerFactory
from tests.factories.cases import CustomFieldFactory

JSON = "application/json"


@pytest.fixture
def fields(db: None) -> list[CustomField]:
    return [
        CustomFieldFactory.create(
            key="order_total", kind=CustomFieldKind.NUMBER, position=1
        ),
        CustomFieldFactory.create(
            key="carrier",
            kind=CustomFieldKind.CHOICE,
            choices=["DHL", "Colissimo"],
            position=2,
        ),
    ]


def patch(client: Client, case: Case, body: dict[str, Any]) -> Any:
    return client.patch(f"/api/v1/cases/{case.pk}", data=body, content_type=JSON)


def test_a_case_reads_with_its_tags_and_values(
    api_client: Client, agent: User, team: Team, fields: list[CustomField]
) -> None:
    case = CaseFactory.create(team=team)
    case_classify(
        actor=agent,
        case=case,
        expected_version=None,
        tags=["vip"],
        fields={"order_total": "12,50"},
    )

    body = api_client.get(f"/api/v1/cases/{case.pk}").json()

    assert (body["tags"], body["custom_fields"]) == (["vip"], {"order_total": "12.5"})


def test_patch_sets_tags_and_values_with_the_version(
    api_client: Client, team: Team, fields: list[CustomField]
) -> None:
    case = CaseFactory.create(team=team)

    response = patch(
        api_client,
        case,
        {
            "version": case.version,
            "priority": "high",
            "tags": ["vip", "retard"],
            "custom_fields": {"carrier": "DHL", "order_total": 99.9},
        },
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["tags"] == ["retard", "vip"]
    assert body["custom_fields"] == {"carrier": "DHL", "order_total": "99.9"}
    assert (body["priority"], body["version"]) == ("high", case.version + 2)


@pytest.mark.parametrize(
    ("custom_fields", "error_field"),
    [
        ({"order_total": "douze"}, "custom_fields.order_total"),
        ({"carrier": "UPS"}, "custom_fields.carrier"),
        ({"colour": "red"}, "custom_fields.colour"),
    ],
)
def test_patch_refuses_a_wrong_value_naming_the_field_and_writes_nothing(
    api_client: Client,
    team: Team,
    fields: list[CustomField],
    custom_fields: dict[str, str],
    error_field: str,
) -> None:
    case = CaseFactory.create(team=team)

    response = patch(
        api_client,
        case,
        {
            "version": case.version,
            "subject": "Changé",
            "tags": ["vip"],
            "custom_fields": custom_fields,
        },
    )

    assert response.status_code == 422
    assert list(response.json()["fields"]) == [error_field]
    case.refresh_from_db()
    assert case.subject != "Changé"
    assert case_classification(case) == {"tags": [], "custom_fields": {}}


def test_patch_of_another_team_s_case_is_not_found(
    api_client: Client, other_team: Team, fields: list[CustomField]
) -> None:
    case = CaseFactory.create(team=other_team)

    response = patch(api_client, case, {"version": case.version, "tags": ["vip"]})

    assert response.status_code == 404
    assert case_classification(case)["tags"] == []


def test_open_with_tags_and_values(
    api_client: Client, customer: Customer, fields: list[CustomField]
) -> None:
    response = api_client.post(
        "/api/v1/cases",
        data={
            "customer_id": customer.pk,
            "subject": "Colis",
            "tags": ["vip"],
            "custom_fields": {"carrier": "Colissimo"},
        },
        content_type=JSON,
    )

    assert response.status_code == 201, response.content
    assert response.json()["tags"] == ["vip"]
    assert response.json()["custom_fields"] == {"carrier": "Colissimo"}


def test_the_list_filters_by_tag_and_by_field_value(
    api_client: Client, agent: User, team: Team, fields: list[CustomField]
) -> None:
    tagged, valued, _other = (CaseFactory.create(team=team) for _n in range(3))
    case_classify(actor=agent, case=tagged, expected_version=None, tags=["vip"])
    case_classify(
        actor=agent, case=valued, expected_version=None, fields={"order_total": "12.5"}
    )

    by_tag = api_client.get("/api/v1/cases", {"tag": "vip"}).json()
    by_value = api_client.get(
        "/api/v1/cases", {"field": "order_total", "field_value": "12,50"}
    ).json()

    assert [item["id"] for item in by_tag["items"]] == [tagged.pk]
    assert [item["id"] for item in by_value["items"]] == [valued.pk]


def test_the_list_s_query_count_does_not_grow_with_tagged_rows(
    api_client: Client, agent: User, team: Team, fields: list[CustomField]
) -> None:
    def tagged_case() -> None:
        case = CaseFactory.create(team=team, customer=CustomerFactory.create())
        case_classify(
            actor=agent,
            case=case,
            expected_version=None,
            tags=["vip"],
            fields={"carrier": "DHL"},
        )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api_client.get("/api/v1/cases").status_code == 200
        return len(captured)

    tagged_case()
    queries()  # the token's first use is stamped once
    few = queries()
    for _n in range(10):
        tagged_case()

    assert queries() == few


def test_the_definitions_are_listed(
    api_client: Client, fields: list[CustomField]
) -> None:
    response = api_client.get("/api/v1/cases/settings/custom-fields")

    assert response.status_code == 200
    assert [(item["key"], item["kind"]) for item in response.json()] == [
        ("order_total", "number"),
        ("carrier", "choice"),
    ]
    assert response.json()[1]["choices"] == ["DHL", "Colissimo"]


def test_bulk_adds_a_tag(
    api_client: Client, team: Team, token_for: Callable[[User], str]
) -> None:
    cases = [CaseFactory.create(team=team) for _n in range(2)]

    response = api_client.post(
        "/api/v1/cases/bulk",
        data={
            "action": "tag_add",
            "tag": "vip",
            "cases": [{"id": case.pk} for case in cases],
        },
        content_type=JSON,
    )

    assert response.status_code == 200, response.content
    assert response.json()["changed"] == 2
    assert [case_classification(case)["tags"] for case in cases] == [["vip"], ["vip"]]


def test_bulk_tag_without_a_tag_is_refused(api_client: Client, team: Team) -> None:
    case = CaseFactory.create(team=team)

    response = api_client.post(
        "/api/v1/cases/bulk",
        data={"action": "tag_remove", "cases": [{"id": case.pk}]},
        content_type=JSON,
    )

    assert response.status_code == 422
    assert "tag" in response.json()["fields"]


def admin_api(token_for: Callable[[User], str], user: User) -> Client:
    return Client(headers={"Authorization": f"Bearer {token_for(user)}"})


def test_an_administrator_defines_and_changes_a_field(
    admin_user: User, token_for: Callable[[User], str]
) -> None:
    client = admin_api(token_for, admin_user)
    body = {
        "key": "carrier",
        "label_fr": "Transporteur",
        "label_en": "Carrier",
        "kind": "choice",
        "choices": ["DHL"],
    }

    created = client.post(
        "/api/v1/cases/settings/custom-fields", data=body, content_type=JSON
    )
    field = CustomField.objects.get()
    changed = client.put(
        f"/api/v1/cases/settings/custom-fields/{field.pk}",
        data=body | {"choices": ["DHL", "UPS"], "is_active": False},
        content_type=JSON,
    )
    retyped = client.put(
        f"/api/v1/cases/settings/custom-fields/{field.pk}",
        data=body | {"kind": "text"},
        content_type=JSON,
    )

    assert created.status_code == 201, created.content
    assert changed.status_code == 200
    assert changed.json()["choices"] == ["DHL", "UPS"]
    assert retyped.status_code == 422
    assert "kind" in retyped.json()["fields"]
    field.refresh_from_db()
    assert (field.kind, field.is_active) == ("choice", False)


def test_an_agent_cannot_define_a_field(api_client: Client) -> None:
    response = api_client.post(
        "/api/v1/cases/settings/custom-fields",
        data={"key": "x", "label_fr": "X", "label_en": "X", "kind": "text"},
        content_type=JSON,
    )

    assert response.status_code == 403
    assert not CustomField.objects.exists()
