"""The promise API over the roles: what each one sees and may do, nothing leaked,
nothing written; list query counts; the measures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.promises.models import Promise, PromiseKind, PromiseState
from tests.factories.promises import PromiseFactory
from tests.portal.conftest import signed_in

ROLES = ["agent", "other_agent", "supervisor", "quality_manager", "admin_user"]
# Who sees a promise on a case of the agent's team (everyone else gets 404).
SEES_TEAM_CASE = {
    "agent": True,
    "other_agent": False,
    "supervisor": True,
    "quality_manager": True,
    "admin_user": True,
}


@pytest.fixture
def client_of(
    request: pytest.FixtureRequest, token_for: Callable[[User], str]
) -> Callable[[str], Client]:
    def make(role: str) -> Client:
        if role == "anonymous":
            return Client()
        user = request.getfixturevalue(role)
        return Client(headers={"Authorization": f"Bearer {token_for(user)}"})

    return make


@pytest.fixture
def team_promise(case: Case) -> Promise:
    return PromiseFactory.create(customer=case.customer, case=case)


def later(days: int = 3) -> str:
    return (timezone.now() + dt.timedelta(days=days)).isoformat()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.django_db
def test_reading_a_promise_follows_the_case(
    role: str, client_of: Callable[[str], Client], team_promise: Promise
) -> None:
    client = client_of(role)

    detail = client.get(f"/api/v1/promises/{team_promise.pk}")
    listed = client.get("/api/v1/promises").json()["items"]

    expected = SEES_TEAM_CASE[role]
    assert detail.status_code == (200 if expected else 404)
    assert [item["id"] for item in listed] == ([team_promise.pk] if expected else [])


@pytest.mark.parametrize(
    ("action", "payload"),
    [
        (
            "renegotiate",
            {"due_at": later(9), "reason": "Stock", "is_customer_told": True},
        ),
        ("keep", {"note": "Rappel fait"}),
        ("cancel", {"reason": "Le client a annulé"}),
    ],
)
@pytest.mark.parametrize("role", ["anonymous", "other_agent"])
@pytest.mark.django_db
def test_outsiders_change_nothing(
    role: str,
    action: str,
    payload: dict[str, Any],
    client_of: Callable[[str], Client],
    team_promise: Promise,
) -> None:
    response = client_of(role).post(
        f"/api/v1/promises/{team_promise.pk}/{action}",
        payload,
        content_type="application/json",
    )

    assert response.status_code == (401 if role == "anonymous" else 404)
    team_promise.refresh_from_db()
    assert team_promise.state == PromiseState.OPEN
    assert team_promise.transitions.count() == 0


@pytest.mark.parametrize(("role", "status"), [("agent", 201), ("other_agent", 404)])
@pytest.mark.django_db
def test_making_a_promise_needs_to_see_the_case(
    role: str, status: int, client_of: Callable[[str], Client], case: Case
) -> None:
    response = client_of(role).post(
        "/api/v1/promises",
        {
            "case_id": case.pk,
            "kind": "refund",
            "description": "Remboursement sous 14 jours",
            "due_at": later(20),
        },
        content_type="application/json",
    )

    assert response.status_code == status
    assert Promise.objects.count() == (1 if status == 201 else 0)


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"due_at": "2020-01-01T10:00:00+01:00"}, ["due_at"]),
        ({"due_at": "2030-01-01T10:00:00"}, ["due_at"]),
        ({"kind": "miracle"}, ["kind"]),
        ({"description": ""}, ["description"]),
    ],
)
@pytest.mark.django_db
def test_a_bad_promise_is_a_clear_error(
    payload: dict[str, Any], fields: list[str], api_client: Client, case: Case
) -> None:
    body = {
        "case_id": case.pk,
        "kind": "refund",
        "description": "Remboursement",
        "due_at": later(20),
        **payload,
    }

    response = api_client.post(
        "/api/v1/promises", body, content_type="application/json"
    )

    assert response.status_code == 422
    assert list(response.json()["fields"]) == fields
    assert Promise.objects.count() == 0


@pytest.mark.django_db
def test_cancelling_an_automatic_promise_needs_a_supervisor(
    client_of: Callable[[str], Client], case: Case
) -> None:
    automatic = PromiseFactory.create(
        customer=case.customer, case=case, source="system", kind=PromiseKind.DELIVERY
    )
    payload = {"reason": "Commande annulée"}

    by_agent = client_of("agent").post(
        f"/api/v1/promises/{automatic.pk}/cancel",
        payload,
        content_type="application/json",
    )
    by_supervisor = client_of("supervisor").post(
        f"/api/v1/promises/{automatic.pk}/cancel",
        payload,
        content_type="application/json",
    )

    assert (by_agent.status_code, by_supervisor.status_code) == (403, 200)
    assert by_supervisor.json()["state"] == PromiseState.CANCELLED


@pytest.mark.django_db
def test_a_closed_promise_cannot_be_renegotiated(
    api_client: Client, case: Case
) -> None:
    kept = PromiseFactory.create(
        customer=case.customer, case=case, state=PromiseState.KEPT
    )

    response = api_client.post(
        f"/api/v1/promises/{kept.pk}/renegotiate",
        {"due_at": later(9), "reason": "Trop tard", "is_customer_told": True},
        content_type="application/json",
    )

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


@pytest.mark.django_db
def test_renegotiating_behind_the_customers_back_is_refused(
    api_client: Client, team_promise: Promise
) -> None:
    response = api_client.post(
        f"/api/v1/promises/{team_promise.pk}/renegotiate",
        {"due_at": later(9), "reason": "Retard"},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["is_customer_told"]


@pytest.mark.django_db
def test_the_list_costs_the_same_for_five_or_fifty_promises(
    api_client: Client, case: Case, django_assert_max_num_queries: Any
) -> None:
    for _index in range(50):
        PromiseFactory.create(customer=case.customer, case=case)

    with django_assert_max_num_queries(4):
        response = api_client.get("/api/v1/promises", {"limit": 50})

    assert len(response.json()["items"]) == 50


def close(kind: str, state: str, **extra: Any) -> None:
    made = timezone.now() - dt.timedelta(days=5)
    due = made + dt.timedelta(days=2)
    fulfilled = due + dt.timedelta(days=1 if state == PromiseState.BROKEN else -1)
    PromiseFactory.create(
        kind=kind,
        state=state,
        made_at=made,
        due_at=due,
        original_due_at=due,
        fulfilled_at=fulfilled,
        state_changed_at=timezone.now() - dt.timedelta(days=1),
        **extra,
    )


@pytest.mark.django_db
def test_kept_rate_by_type_agent_and_carrier(
    client_of: Callable[[str], Client], agent: User
) -> None:
    for state in ("kept", "kept", "kept", "broken"):
        close("delivery", state, carrier="Colissimo")
    close("callback", "broken", made_by=agent, team=agent.team)
    close("callback", "kept", made_by=agent, team=agent.team)
    supervisor = client_of("supervisor")
    by_team = supervisor.get("/api/v1/promises/measures/kept-rate", {"by": "team"})

    by_kind = supervisor.get("/api/v1/promises/measures/kept-rate", {"by": "kind"})
    by_agent = supervisor.get("/api/v1/promises/measures/kept-rate", {"by": "agent"})
    by_carrier = supervisor.get(
        "/api/v1/promises/measures/kept-rate", {"by": "carrier"}
    )
    denied = client_of("agent").get("/api/v1/promises/measures/kept-rate")

    assert by_kind.json()["rows"] == [
        {"key": "delivery", "label": "Livraison", "kept": 3, "broken": 1, "rate": 0.75},
        {"key": "callback", "label": "Rappel", "kept": 1, "broken": 1, "rate": 0.5},
    ]
    assert [(r["label"], r["rate"]) for r in by_agent.json()["rows"]] == [
        ("(aucun)", 0.75),
        ("agent", 0.5),
    ]
    assert by_carrier.json()["rows"][0] == {
        "key": "Colissimo",
        "label": "Colissimo",
        "kept": 3,
        "broken": 1,
        "rate": 0.75,
    }
    assert [(r["label"], r["kept"], r["broken"]) for r in by_team.json()["rows"]] == [
        ("(aucun)", 3, 1),
        ("Service client", 1, 1),
    ]
    assert denied.status_code == 403


@pytest.mark.django_db
def test_expectation_gap_distribution(client_of: Callable[[str], Client]) -> None:
    for state in ("kept", "kept", "broken"):
        close("refund", state)
    close("delivery", "broken")

    gap = client_of("supervisor").get(
        "/api/v1/promises/measures/expectation-gap", {"kind": "refund"}
    )

    body = gap.json()
    assert (body["count"], body["on_time"], body["late"]) == (3, 2, 1)
    assert body["median_days"] == -1.0
    assert body["p90_days"] == 1.0
    assert [b["count"] for b in body["bins"]] == [0, 0, 2, 0, 1, 0, 0, 0, 0, 0]


@pytest.mark.django_db
def test_a_period_that_ends_before_it_starts_is_refused(
    client_of: Callable[[str], Client],
) -> None:
    response = client_of("supervisor").get(
        "/api/v1/promises/measures/kept-rate",
        {"since": "2026-03-10T00:00:00Z", "until": "2026-03-01T00:00:00Z"},
    )

    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["until"]


@pytest.mark.django_db
def test_a_customer_link_opens_no_staff_endpoint_or_page(team_promise: Promise) -> None:
    customer_client = signed_in(team_promise.customer)

    api = customer_client.get(f"/api/v1/promises/{team_promise.pk}")
    written = customer_client.post(
        f"/api/v1/promises/{team_promise.pk}/keep",
        {"note": "moi-même"},
        content_type="application/json",
    )
    page = customer_client.get("/promises/")

    assert (api.status_code, written.status_code) == (401, 401)
    assert page.status_code == 302
    assert page["Location"].startswith("/login/")
    team_promise.refresh_from_db()
    assert team_promise.state == PromiseState.OPEN
