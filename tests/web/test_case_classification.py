"""Tags and custom fields on the web: the case page's side panel (errors beside the
control, typed text kept), the administrators' settings page, the inbox filters and
tag chips (constant queries), and the bulk « add a tag » with its confirmation."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from amiable.accounts.models import Team, User
from amiable.audit.models import AuditEvent
from amiable.cases.models import Case, CustomField, CustomFieldKind
from amiable.cases.services import case_classification, case_classify
from tests.factories import CaseFactory, CustomerFactory
from tests.factories.cases import CustomFieldFactory

SETTINGS = "/cases/settings/fields/"


@pytest.fixture
def fields(db: None) -> list[CustomField]:
    return [
        CustomFieldFactory.create(
            key="order_total",
            label_fr="Montant",
            label_en="Amount",
            kind=CustomFieldKind.NUMBER,
        ),
        CustomFieldFactory.create(
            key="carrier", kind=CustomFieldKind.CHOICE, choices=["DHL", "Colissimo"]
        ),
    ]


@pytest.fixture
def admin_client(admin_user: User) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


def test_the_side_panel_sets_tags_and_fields(
    web_client: Client, team: Team, fields: list[CustomField]
) -> None:
    case = CaseFactory.create(team=team)

    response = web_client.post(
        f"/cases/{case.pk}/classify/",
        {
            "version": case.version,
            "tags": "vip, retard",
            "cf_order_total": "12,50",
            "cf_carrier": "DHL",
        },
    )

    assert response.status_code == 302
    assert case_classification(case) == {
        "tags": ["retard", "vip"],
        "custom_fields": {"carrier": "DHL", "order_total": "12.5"},
    }
    page = web_client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="case-tags"' in page
    assert "Montant" in page


def test_a_wrong_value_comes_back_beside_its_control_with_the_typed_text(
    web_client: Client, team: Team, fields: list[CustomField]
) -> None:
    case = CaseFactory.create(team=team)

    response = web_client.post(
        f"/cases/{case.pk}/classify/",
        {"version": case.version, "tags": "vip", "cf_order_total": "douze"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="classify-form"' in html
    assert 'value="douze"' in html
    assert 'value="vip"' in html
    assert 'class="field-error"' in html
    assert case_classification(case) == {"tags": [], "custom_fields": {}}


def test_another_team_s_case_is_not_found(web_client: Client, other_team: Team) -> None:
    case = CaseFactory.create(team=other_team)

    response = web_client.post(
        f"/cases/{case.pk}/classify/", {"version": case.version, "tags": "vip"}
    )

    assert response.status_code == 404
    assert case_classification(case)["tags"] == []


def test_administrators_define_a_field_on_the_settings_page(
    admin_client: Client,
) -> None:
    response = admin_client.post(
        SETTINGS,
        {
            "key": "carrier",
            "label_fr": "Transporteur",
            "label_en": "Carrier",
            "kind": "choice",
            "choices": "DHL\nColissimo\n",
            "position": 10,
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    field = CustomField.objects.get()
    assert (field.key, field.choices) == ("carrier", ["DHL", "Colissimo"])
    assert AuditEvent.objects.filter(action="custom_field.create").count() == 1
    assert "carrier" in admin_client.get(SETTINGS).content.decode()


def test_a_wrong_definition_comes_back_with_its_input(admin_client: Client) -> None:
    response = admin_client.post(
        SETTINGS,
        {
            "key": "carrier",
            "label_fr": "Transporteur",
            "label_en": "Carrier",
            "kind": "choice",
            "choices": "",
            "position": 10,
        },
    )

    assert response.status_code == 422
    assert 'value="Transporteur"' in response.content.decode()
    assert not CustomField.objects.exists()


def test_editing_keeps_the_key_and_type(
    admin_client: Client, fields: list[CustomField]
) -> None:
    field = fields[0]

    response = admin_client.post(
        f"{SETTINGS}{field.pk}/",
        {
            "key": "changed",
            "label_fr": "Total",
            "label_en": "Total",
            "kind": "text",
            "position": 5,
        },
    )

    assert response.status_code == 302
    field.refresh_from_db()
    assert (field.key, field.kind, field.label_fr, field.is_active) == (
        "order_total",
        "number",
        "Total",
        False,
    )


@pytest.mark.parametrize("client_name", ["web_client", "supervisor_client"])
def test_only_administrators_open_the_settings_page(
    request: pytest.FixtureRequest, client_name: str
) -> None:
    client: Client = request.getfixturevalue(client_name)

    assert client.get(SETTINGS).status_code == 403
    assert client.post(SETTINGS, {"key": "x"}).status_code == 403
    assert not CustomField.objects.exists()


def tagged(agent: User, team: Team, *tags: str) -> Case:
    case = CaseFactory.create(team=team, customer=CustomerFactory.create())
    return case_classify(actor=agent, case=case, expected_version=None, tags=tags)


def test_the_inbox_filters_by_tag_and_shows_the_tags(
    web_client: Client, agent: User, team: Team
) -> None:
    vip = tagged(agent, team, "vip")
    tagged(agent, team, "autre")

    html = web_client.get("/cases/", {"view": "all", "tag": "vip"}).content.decode()

    assert vip.reference in html
    assert html.count('data-testid="row-tag"') == 1
    assert 'value="vip"' in html


def test_the_inbox_filters_by_a_field_value(
    web_client: Client, agent: User, team: Team, fields: list[CustomField]
) -> None:
    valued = CaseFactory.create(team=team)
    other = CaseFactory.create(team=team)
    case_classify(
        actor=agent, case=valued, expected_version=None, fields={"carrier": "DHL"}
    )

    html = web_client.get(
        "/cases/", {"view": "all", "field": "carrier", "field_value": "DHL"}
    ).content.decode()

    assert valued.reference in html
    assert other.reference not in html


def count_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/cases/", {"view": "all"}).status_code == 200
    return len(captured)


def test_the_inbox_query_count_does_not_grow_with_tagged_rows(
    web_client: Client, agent: User, team: Team, fields: list[CustomField]
) -> None:
    for _n in range(3):
        tagged(agent, team, "vip", "retard")
    few = count_queries(web_client)
    for _n in range(20):
        tagged(agent, team, "vip", "retard")

    assert count_queries(web_client) == few


def test_bulk_add_a_tag_asks_for_confirmation_then_tags_each_case(
    web_client: Client, team: Team
) -> None:
    cases = [CaseFactory.create(team=team) for _n in range(2)]
    selection = [f"{case.pk}:{case.version}" for case in cases]

    confirm = web_client.post(
        "/cases/bulk/", {"cases": selection, "action": "tag_add:", "tag": "vip"}
    )

    assert confirm.status_code == 200
    assert "« vip »" in confirm.content.decode() or "“vip”" in confirm.content.decode()
    assert [case_classification(case)["tags"] for case in cases] == [[], []]
    done = web_client.post(
        "/cases/bulk/",
        {"cases": selection, "action": "tag_add:", "tag": "vip", "confirmed": "1"},
    )
    assert done.status_code == 302
    assert [case_classification(case)["tags"] for case in cases] == [["vip"], ["vip"]]
    assert (
        AuditEvent.objects.filter(
            action="case.classify", object_id__in=[str(case.pk) for case in cases]
        ).count()
        == 2
    )


def test_bulk_add_a_tag_without_a_tag_is_refused(
    web_client: Client, team: Team
) -> None:
    case = CaseFactory.create(team=team)

    response = web_client.post(
        "/cases/bulk/",
        {"cases": [f"{case.pk}:{case.version}"], "action": "tag_add:", "tag": ""},
    )

    assert response.status_code == 422
    assert case_classification(case)["tags"] == []
