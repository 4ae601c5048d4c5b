"""The configuration API of cases: taxonomies, SLA policies, routing rules and team
skills, written by administrators only, and taking effect on the next case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from amiable.accounts.models import Team, User
from amiable.audit.models import AuditEvent
from amiable.cases.models import CaseCategory, RootCause, RoutingRule, SlaPolicy
from amiable.customers.models import Customer
from tests.cases.conftest import CalendarMaker
from tests.factories import TeamFactory
from tests.factories.cases import RootCauseFactory

JSON = "application/json"
WRITERS_REFUSED = ["other_agent", "agent", "supervisor", "quality_manager"]
POLICY = {
    "name": "Litiges urgents",
    "position": 1,
    "kind": "dispute",
    "priority": "",
    "channel": "",
    "customer_tier": "",
    "first_response_minutes": 150,
    "resolution_minutes": 2400,
    "at_risk_percent": 80,
}
ClientFor = Callable[[User], Client]


@pytest.fixture
def client_for(token_for: Callable[[User], str]) -> ClientFor:
    def make(user: User) -> Client:
        return Client(headers={"Authorization": f"Bearer {token_for(user)}"})

    return make


@pytest.fixture
def admin_api(client_for: ClientFor, admin_user: User) -> Client:
    return client_for(admin_user)


def _writes(api: Client) -> list[tuple[str, str, dict[str, Any]]]:
    team = TeamFactory.create(name="Équipe Sud")
    return [
        ("post", "/api/v1/cases/sla/policies", POLICY),
        ("post", "/api/v1/cases/routing/rules", {"name": "Anglais", "language": "en"}),
        (
            "put",
            f"/api/v1/cases/routing/teams/{team.pk}",
            {"languages": ["en"], "assignment_mode": "round_robin"},
        ),
        (
            "post",
            "/api/v1/cases/taxonomy/root-causes",
            {"code": "douane", "name_fr": "Douane", "name_en": "Customs"},
        ),
    ]


@pytest.mark.parametrize("role", WRITERS_REFUSED)
def test_only_administrators_write_and_a_refusal_writes_nothing(
    request: pytest.FixtureRequest, client_for: ClientFor, role: str
) -> None:
    api = client_for(request.getfixturevalue(role))
    before = AuditEvent.objects.count()

    statuses = [
        getattr(api, method)(path, data=body, content_type=JSON).status_code
        for method, path, body in _writes(api)
    ]

    assert statuses == [403, 403, 403, 403]
    assert AuditEvent.objects.count() == before
    assert (SlaPolicy.objects.count(), RoutingRule.objects.count()) == (0, 0)


def test_anonymous_callers_are_refused(db: None) -> None:
    response = Client().post(
        "/api/v1/cases/sla/policies", data=POLICY, content_type=JSON
    )

    assert (response.status_code, response.json()["code"]) == (
        401,
        "not_authenticated",
    )


def test_a_policy_set_through_the_api_times_the_next_dispute(
    admin_api: Client, customer: Customer, team: Team, make_calendar: CalendarMaker
) -> None:
    make_calendar(team=team, name="Paris")
    created = admin_api.post(
        "/api/v1/cases/sla/policies", data=POLICY, content_type=JSON
    )
    assert created.status_code == 201, created.content

    opened = admin_api.post(
        "/api/v1/cases",
        data={
            "customer_id": customer.pk,
            "subject": "Litige sur un remboursement",
            "kind": "dispute",
            "team_id": team.pk,
            "occurred_at": "2026-04-02T16:00:00+02:00",
        },
        content_type=JSON,
    )
    sla = admin_api.get(f"/api/v1/cases/{opened.json()['id']}/sla").json()

    first = next(c for c in sla["clocks"] if c["metric"] == "first_response")
    # Thursday 2 April 2026 16:00 + 2 h 30 of business hours (9:00-18:00): two
    # hours on Thursday, the last half hour on Friday from 9:00.
    assert first["due_at"] == "2026-04-03T07:30:00Z"
    assert sla["policy"]["name"] == "Litiges urgents"


def test_a_policy_is_changed_in_place_and_refused_without_targets(
    admin_api: Client,
) -> None:
    policy_id = admin_api.post(
        "/api/v1/cases/sla/policies", data=POLICY, content_type=JSON
    ).json()["id"]

    changed = admin_api.put(
        f"/api/v1/cases/sla/policies/{policy_id}",
        data={**POLICY, "at_risk_percent": 60},
        content_type=JSON,
    )
    empty = admin_api.post(
        "/api/v1/cases/sla/policies",
        data={
            **POLICY,
            "name": "Sans cible",
            "first_response_minutes": None,
            "resolution_minutes": None,
        },
        content_type=JSON,
    )
    missing = admin_api.put(
        "/api/v1/cases/sla/policies/999999", data=POLICY, content_type=JSON
    )

    assert (changed.status_code, changed.json()["at_risk_percent"]) == (200, 60)
    assert (empty.status_code, list(empty.json()["fields"])) == (
        422,
        ["first_response_minutes"],
    )
    assert missing.status_code == 404
    assert SlaPolicy.objects.count() == 1


def test_a_rule_and_team_skills_route_the_next_case(
    admin_api: Client, customer: Customer
) -> None:
    english = TeamFactory.create(name="English desk")
    rule = admin_api.post(
        "/api/v1/cases/routing/rules",
        data={"name": "English speakers", "language": "EN", "team_id": english.pk},
        content_type=JSON,
    )
    skills = admin_api.put(
        f"/api/v1/cases/routing/teams/{english.pk}",
        data={"languages": ["en", "EN", " fr "], "categories": ["Delivery-Delay"]},
        content_type=JSON,
    )
    customer.preferred_language = "en"
    customer.save(update_fields=["preferred_language"])

    opened = admin_api.post(
        "/api/v1/cases",
        data={"customer_id": customer.pk, "subject": "Where is my parcel?"},
        content_type=JSON,
    )

    assert rule.status_code == 201, rule.content
    assert (rule.json()["language"], rule.json()["team_id"]) == ("en", english.pk)
    assert skills.json() == {
        "team_id": english.pk,
        "team_name": "English desk",
        "languages": ["en", "fr"],
        "categories": ["delivery-delay"],
        "assignment_mode": "manual",
    }
    assert opened.json()["team"]["id"] == english.pk
    listed = admin_api.get("/api/v1/cases/routing/rules").json()
    assert [entry["name"] for entry in listed] == ["English speakers"]


def test_a_rule_for_an_unknown_team_is_422(admin_api: Client) -> None:
    response = admin_api.post(
        "/api/v1/cases/routing/rules",
        data={"name": "Nulle part", "team_id": 999999},
        content_type=JSON,
    )

    assert (response.status_code, list(response.json()["fields"])) == (
        422,
        ["team_id"],
    )
    assert RoutingRule.objects.count() == 0


def test_taxonomies_keep_two_levels_and_unique_codes(admin_api: Client) -> None:
    family = RootCauseFactory.create(code="livraison")
    cause = RootCauseFactory.create(code="retard", parent=family)

    child = admin_api.post(
        "/api/v1/cases/taxonomy/root-causes",
        data={
            "code": "casse",
            "name_fr": "Casse",
            "name_en": "Breakage",
            "parent_id": family.pk,
        },
        content_type=JSON,
    )
    grandchild = admin_api.post(
        "/api/v1/cases/taxonomy/root-causes",
        data={
            "code": "casse-verre",
            "name_fr": "Verre cassé",
            "name_en": "Broken glass",
            "parent_id": cause.pk,
        },
        content_type=JSON,
    )
    twice = admin_api.post(
        "/api/v1/cases/taxonomy/categories",
        data={"code": "colis", "name_fr": "Colis", "name_en": "Parcel"},
        content_type=JSON,
    )
    again = admin_api.post(
        "/api/v1/cases/taxonomy/categories",
        data={"code": "colis", "name_fr": "Colis", "name_en": "Parcel"},
        content_type=JSON,
    )
    renamed = admin_api.put(
        f"/api/v1/cases/taxonomy/categories/{twice.json()['id']}",
        data={"code": "colis", "name_fr": "Colis et livraison", "name_en": "Parcel"},
        content_type=JSON,
    )

    assert (child.status_code, child.json()["parent_id"]) == (201, family.pk)
    assert (grandchild.status_code, list(grandchild.json()["fields"])) == (
        422,
        ["parent"],
    )
    assert twice.status_code == 201
    assert (again.status_code, again.json()["code"], list(again.json()["fields"])) == (
        409,
        "duplicate",
        ["code"],
    )
    assert renamed.json()["name_fr"] == "Colis et livraison"
    assert CaseCategory.objects.count() == 1
    assert RootCause.objects.count() == 3
