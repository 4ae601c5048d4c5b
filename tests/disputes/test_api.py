"""The disputes API through its real endpoints: the track with its legal deadlines
and cost, recording dates (422 with fields, 409 on a stale version), proposals,
the mediator's details, the cost ledger and the cost report; per role, nothing
leaks and nothing is written."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from amiable.accounts.models import User
from amiable.audit.models import AuditEvent
from amiable.cases.models import CaseCost, CaseKind, CostKind
from amiable.cases.services import case_cost_add, case_log_call
from amiable.conversations.models import Direction
from amiable.core.money import Money
from amiable.disputes.models import Dispute, Mediator
from amiable.disputes.services import dispute_send_mediator_info
from tests.api.conftest import ClientFor
from tests.disputes.conftest import paris
from tests.factories import CaseFactory, TeamFactory
from tests.factories.disputes import DisputeFactory

JSON = "application/json"
ROLES = [
    "anonymous",
    "other_agent",
    "agent",
    "supervisor",
    "quality_manager",
    "admin_user",
]


@pytest.fixture
def role_client(request: pytest.FixtureRequest, client_for: ClientFor) -> Client:
    role = request.getfixturevalue("role")
    if role == "anonymous":
        return Client()
    user: User = request.getfixturevalue(role)
    return client_for(user)


@pytest.fixture
def agent_api(client_for: ClientFor, agent: User) -> Client:
    return client_for(agent)


def test_a_dispute_shows_its_deadlines_and_total_cost(
    agent_api: Client, agent: User, dispute: Dispute
) -> None:
    case_log_call(
        actor=agent,
        case=dispute.case,
        direction=Direction.INBOUND,
        duration_seconds=45 * 60,
        outcome="answered",
    )
    case_cost_add(
        actor=agent,
        case=dispute.case,
        kind=CostKind.REGISTERED_LETTER,
        cost=Money(Decimal("7.35"), "EUR"),
    )

    body = agent_api.get(f"/api/v1/disputes/{dispute.pk}").json()

    assert [
        (d["rule_code"], d["article"], d["bearer"], d["last_day"], d["due_at"])
        for d in body["deadlines"]
    ] == [
        (
            "FR.MED.PRACTICE_NO_ANSWER_2M",
            "economie.gouv.fr (pratique) ; C. énergie R122-1",
            "professional",
            "2026-03-05",
            "2026-03-05T23:59:59+01:00",
        ),
        (
            "FR.MED.REFERRAL_WINDOW_1Y",
            "C. conso L612-2 4°",
            "consumer",
            "2027-01-05",
            "2027-01-05T23:59:59+01:00",
        ),
    ]
    # 45 minutes at 38 €/h = 28,50 €, plus the registered letter.
    assert body["cost"]["staff_seconds"] == 2700
    assert body["cost"]["totals"] == [{"amount": "35.85", "currency": "EUR"}]
    same = agent_api.get(f"/api/v1/cases/{dispute.case_id}/dispute").json()
    assert same["id"] == dispute.pk


def test_recording_a_referral_through_the_api(
    agent_api: Client, agent: User, dispute: Dispute, mediator: Mediator
) -> None:
    url = f"/api/v1/disputes/{dispute.pk}"
    refused = agent_api.patch(
        url,
        {
            "version": 1,
            "mediator_id": mediator.pk,
            "referred_at": "2026-03-20T11:00:00+01:00",
        },
        content_type=JSON,
    )
    assert refused.status_code == 422
    assert refused.json()["code"] == "validation_error"
    assert refused.json()["fields"] == {
        "mediator_info_sent_at": [
            "Envoyez d'abord au client les coordonnées du médiateur."
        ]
    }

    sent = agent_api.post(
        f"{url}/mediator-info",
        {"mediator_id": mediator.pk, "version": 1},
        content_type=JSON,
    )
    assert sent.status_code == 201
    assert sent.json()["direction"] == "outbound"
    referred = agent_api.patch(
        url,
        {
            "version": 2,
            "mediator_id": mediator.pk,
            "referred_at": "2026-03-20T11:00:00+01:00",
        },
        content_type=JSON,
    )

    body = referred.json()
    assert referred.status_code == 200
    assert (body["stage"], body["mediator"]["name"], body["version"]) == (
        "mediation",
        "Médiateur du e-commerce (FEVAD)",
        3,
    )
    inadmissibility = next(
        d for d in body["deadlines"] if d["rule_code"] == "FR.MED.INADMISSIBILITY_3W"
    )
    assert inadmissibility["last_day"] == "2026-04-10"
    stale = agent_api.patch(
        url, {"version": 2, "outcome_summary": "x"}, content_type=JSON
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "version_conflict"


def test_null_is_refused_where_it_means_nothing(
    agent_api: Client, dispute: Dispute
) -> None:
    response = agent_api.patch(
        f"/api/v1/disputes/{dispute.pk}",
        {"version": 1, "outcome": None},
        content_type=JSON,
    )

    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["outcome"]


def test_a_mediators_proposal_and_its_answer(
    agent_api: Client, agent: User, dispute: Dispute, mediator: Mediator
) -> None:
    dispute_send_mediator_info(actor=agent, dispute=dispute, mediator=mediator)
    url = f"/api/v1/disputes/{dispute.pk}"
    agent_api.patch(
        url,
        {
            "version": 2,
            "mediator_id": mediator.pk,
            "referred_at": "2026-03-20T11:00:00+01:00",
        },
        content_type=JSON,
    )
    created = agent_api.post(
        f"{url}/proposals",
        {
            "made_by": "mediator",
            "description": "Remboursement de 60 %",
            "amount": "540.00",
            "proposed_at": "2026-05-12T15:00:00+02:00",
            "respond_by": "2026-06-01",
        },
        content_type=JSON,
    )
    assert created.status_code == 201
    proposal_id = created.json()["id"]

    answered = agent_api.post(
        f"{url}/proposals/{proposal_id}/answer",
        {"answer": "refused", "responded_at": "2026-05-20T10:00:00+02:00"},
        content_type=JSON,
    )
    again = agent_api.post(
        f"{url}/proposals/{proposal_id}/answer",
        {"answer": "accepted"},
        content_type=JSON,
    )

    assert answered.status_code == 200
    assert answered.json()["response"] == "refused"
    assert again.status_code == 409
    body = agent_api.get(url).json()
    deadline = next(
        d for d in body["deadlines"] if d["rule_code"] == "FR.MED.PROPOSAL_DEADLINE"
    )
    assert (deadline["state"], deadline["trigger_key"]) == (
        "met",
        f"proposal:{proposal_id}",
    )


def test_opening_a_track_for_a_case_that_is_not_a_dispute(
    agent_api: Client, agent: User
) -> None:
    case = CaseFactory.create(kind=CaseKind.QUESTION, team=agent.team)

    response = agent_api.post(
        "/api/v1/disputes", {"case_id": case.pk}, content_type=JSON
    )

    assert response.status_code == 422
    assert response.json()["fields"] == {"case_id": ["Ce dossier n'est pas un litige."]}


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+00:00", "1138-05-01T09:00:00Z"])
def test_a_complaint_date_centuries_ago_is_refused_by_field(
    agent_api: Client, agent: User, when: str
) -> None:
    case = CaseFactory.create(kind=CaseKind.DISPUTE, team=agent.team)

    response = agent_api.post(
        "/api/v1/disputes",
        {"case_id": case.pk, "written_complaint_at": when},
        content_type=JSON,
    )

    assert response.status_code == 422
    assert response.json()["fields"] == {
        "written_complaint_at": ["Cette date est trop ancienne."]
    }
    assert not Dispute.objects.filter(case=case).exists()


def test_the_cost_ledger_is_idempotent_per_source(
    agent_api: Client, dispute: Dispute
) -> None:
    url = f"/api/v1/cases/{dispute.case_id}/costs"
    entry = {
        "kind": "postage",
        "amount": "4.90",
        "description": "Colissimo retour",
        "source": "shop:return-label:881",
    }

    first = agent_api.post(url, entry, content_type=JSON)
    second = agent_api.post(url, entry, content_type=JSON)

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] == second.json()["id"]
    assert agent_api.get(url).json()["totals"] == [
        {"amount": "4.90", "currency": "EUR"}
    ]


@pytest.mark.parametrize(
    ("amount", "field"), [("-1", "amount"), ("1.234", "amount"), ("abc", "amount")]
)
def test_a_bad_cost_is_a_clear_error(
    agent_api: Client, dispute: Dispute, amount: str, field: str
) -> None:
    response = agent_api.post(
        f"/api/v1/cases/{dispute.case_id}/costs",
        {"kind": "postage", "amount": amount},
        content_type=JSON,
    )

    assert response.status_code == 422
    assert list(response.json()["fields"]) == [field]
    assert not CaseCost.objects.exists()


def test_the_cost_report_sums_per_dimension(
    client_for: ClientFor, agent: User, quality_manager: User, dispute: Dispute
) -> None:
    other = CaseFactory.create(
        kind=CaseKind.COMPLAINT,
        category="Livraison",
        team=TeamFactory.create(name="Réclamations"),
    )
    for case, kind, amount, day in [
        (dispute.case, CostKind.MEDIATOR_FEES, "150.00", 3),
        (dispute.case, CostKind.POSTAGE, "4.50", 30),
        (other, CostKind.POSTAGE, "1.20", 31),  # 31 March in Paris, not April
    ]:
        case_cost_add(
            actor=None,
            case=case,
            kind=kind,
            cost=Money(Decimal(amount), "EUR"),
            incurred_at=paris(2026, 3, day, 23, 30),
        )
    client = client_for(quality_manager)

    def report(**params: str) -> list[tuple[str, str, str]]:
        body = client.get("/api/v1/costs/report", params).json()
        return [
            (g["key"], g["label"], g["totals"][0]["amount"]) for g in body["groups"]
        ]

    assert report(group_by="kind") == [
        ("mediator_fees", "Frais de médiation", "150.00"),
        ("postage", "Affranchissement", "5.70"),
    ]
    assert report(group_by="case_kind") == [
        ("dispute", "Litige", "154.50"),
        ("complaint", "Réclamation", "1.20"),
    ]
    assert report(group_by="period", period="month") == [
        ("2026-03-01", "mars 2026", "155.70")
    ]
    assert report(group_by="team", date_from="2026-03-31", date_to="2026-03-31") == [
        (str(other.team_id), "Réclamations", "1.20")
    ]
    assert report(group_by="category", case_kind="complaint") == [
        ("Livraison", "Livraison", "1.20")
    ]


COST_REPORT = {
    "anonymous": 401,
    "other_agent": 403,
    "agent": 403,
    "supervisor": 200,
    "quality_manager": 200,
    "admin_user": 200,
}
DISPUTE_READ = {
    "anonymous": 401,
    "other_agent": 404,
    "agent": 200,
    "supervisor": 200,
    "quality_manager": 200,
    "admin_user": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_reads_per_role(role_client: Client, dispute: Dispute, role: str) -> None:
    case_cost_add(
        actor=None,
        case=dispute.case,
        kind=CostKind.POSTAGE,
        cost=Money(Decimal("2.00"), "EUR"),
    )

    detail = role_client.get(f"/api/v1/disputes/{dispute.pk}")
    costs = role_client.get(f"/api/v1/cases/{dispute.case_id}/costs")
    listed = role_client.get("/api/v1/disputes")
    report = role_client.get("/api/v1/costs/report")

    assert detail.status_code == costs.status_code == DISPUTE_READ[role]
    assert report.status_code == COST_REPORT[role]
    if role == "anonymous":
        assert listed.status_code == 401
        return
    seen = [item["id"] for item in listed.json()["items"]]
    assert seen == ([] if role == "other_agent" else [dispute.pk])


def test_a_supervisor_reports_on_their_team_only(
    client_for: ClientFor, supervisor: User, dispute: Dispute
) -> None:
    elsewhere = CaseFactory.create(team=TeamFactory.create(name="Ailleurs"))
    for case in (dispute.case, elsewhere):
        case_cost_add(
            actor=None,
            case=case,
            kind=CostKind.POSTAGE,
            cost=Money(Decimal("3"), "EUR"),
        )

    body = client_for(supervisor).get("/api/v1/costs/report").json()

    assert body["totals"] == [{"amount": "3.00", "currency": "EUR"}]


WRITES: list[tuple[str, str, dict[str, Any]]] = [
    ("patch", "/api/v1/disputes/{dispute}", {"version": 1, "outcome_summary": "x"}),
    (
        "post",
        "/api/v1/disputes/{dispute}/proposals",
        {
            "made_by": "company",
            "description": "x",
            "proposed_at": "2026-01-10T10:00:00Z",
        },
    ),
    ("post", "/api/v1/disputes/{dispute}/mediator-info", {"mediator_id": 0}),
    ("post", "/api/v1/cases/{case}/costs", {"kind": "postage", "amount": "1.00"}),
    ("post", "/api/v1/disputes", {"case_id": 0}),
]


@pytest.mark.parametrize("role", ["anonymous", "other_agent"])
@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_writes_by_outsiders_leak_and_write_nothing(
    role_client: Client,
    dispute: Dispute,
    mediator: Mediator,
    role: str,
    method: str,
    path: str,
    body: dict[str, Any],
) -> None:
    body = {
        key: (
            dispute.case_id
            if key == "case_id"
            else mediator.pk
            if key == "mediator_id"
            else value
        )
        for key, value in body.items()
    }
    audits = AuditEvent.objects.count()

    response = getattr(role_client, method)(
        path.format(dispute=dispute.pk, case=dispute.case_id), body, content_type=JSON
    )

    assert response.status_code == (401 if role == "anonymous" else 404)
    assert response.json()["code"] == (
        "not_authenticated" if role == "anonymous" else "not_found"
    )
    assert AuditEvent.objects.count() == audits
    dispute.refresh_from_db()
    assert dispute.version == 1


def test_the_dispute_list_costs_the_same_for_many(
    agent_api: Client, agent: User, django_assert_max_num_queries: Any
) -> None:
    for _index in range(12):
        DisputeFactory.create(case__team=agent.team)

    with django_assert_max_num_queries(4):
        response = agent_api.get("/api/v1/disputes?limit=10")

    assert response.status_code == 200
    assert len(response.json()["items"]) == 10
    assert response.json()["next_cursor"]
