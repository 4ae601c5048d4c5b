"""``POST /api/v1/cases/{case_id}/merge``, ``/{case_id}/split`` and
``/merges/{case_merge_id}/undo``: the answers, and JSON errors with stable codes
and fields for every refusal, per role."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from amiable.accounts.models import Team, User
from amiable.cases.models import Case, CaseKind, CaseMerge, CaseStatus
from amiable.conversations.models import Channel, Interaction
from amiable.customers.models import Customer
from tests.factories import CaseFactory, CustomerFactory, InteractionFactory

JSON = "application/json"
ClientFor = Callable[[User], Client]


@pytest.fixture
def client_for(token_for: Callable[[User], str]) -> ClientFor:
    def make(user: User) -> Client:
        return Client(headers={"Authorization": f"Bearer {token_for(user)}"})

    return make


@pytest.fixture
def customer(db: None) -> Customer:
    return CustomerFactory.create(name="Élodie Martin")


@pytest.fixture
def cases(customer: Customer, team: Team) -> list[Case]:
    made = CaseFactory.create_batch(3, customer=customer, team=team)
    for case in made:
        InteractionFactory.create_batch(2, customer=customer, case=case)
    return made


def _merge(client: Client, target: Case, sources: list[Case]) -> tuple[int, dict]:  # type: ignore[type-arg]
    response = client.post(
        f"/api/v1/cases/{target.pk}/merge",
        {"case_ids": [case.pk for case in sources]},
        content_type=JSON,
    )
    return response.status_code, response.json()


def test_merge_answers_201_with_what_moved_and_undo_puts_it_back(
    api_client: Client, cases: list[Case]
) -> None:
    target, *sources = cases

    status, body = _merge(api_client, target, sources)

    assert status == 201
    assert body["kind"] == "merge"
    assert body["target_id"] == target.pk
    assert body["case_ids"] == sorted(case.pk for case in sources)
    assert body["moved_counts"] == {"conversations.interaction": 4}
    assert body["undone_at"] is None

    undone = api_client.post(f"/api/v1/cases/merges/{body['id']}/undo")

    assert undone.status_code == 200
    assert undone.json()["undone_at"] is not None
    assert (
        Interaction.objects.filter(case=sources[0]).exclude(channel=Channel.SYSTEM)
    ).count() == 2
    again = api_client.post(f"/api/v1/cases/merges/{body['id']}/undo")
    assert again.status_code == 409
    assert again.json()["code"] == "already_undone"
    assert list(again.json()["fields"]) == ["merge"]


@pytest.mark.parametrize(
    ("setup", "status", "code", "field"),
    [
        ("other_customer", 409, "case_merge_refused", "case_ids"),
        ("itself", 409, "case_merge_refused", "target"),
        ("dispute", 409, "case_merge_refused", "case_ids"),
        ("already_merged", 409, "case_already_merged", "case_ids"),
        ("other_team", 404, "not_found", "case_ids"),
    ],
)
def test_merge_refusals_are_json_errors_with_stable_codes(
    api_client: Client,
    agent: User,
    cases: list[Case],
    customer: Customer,
    other_team: Team,
    setup: str,
    status: int,
    code: str,
    field: str,
) -> None:
    target, source, third = cases
    if setup == "other_customer":
        source = CaseFactory.create(team=target.team)
    elif setup == "itself":
        source = target
    elif setup == "dispute":
        source = CaseFactory.create(
            customer=customer, team=target.team, kind=CaseKind.DISPUTE
        )
    elif setup == "already_merged":
        assert _merge(api_client, third, [source])[0] == 201
    else:
        source = CaseFactory.create(customer=customer, team=other_team)
    merges_before = CaseMerge.objects.count()

    answer_status, body = _merge(api_client, target, [source])

    assert (answer_status, body["code"]) == (status, code)
    assert list(body["fields"]) == [field]
    assert CaseMerge.objects.count() == merges_before


def test_an_agent_of_another_team_gets_404_and_nothing_is_written(
    client_for: ClientFor, other_agent: User, cases: list[Case]
) -> None:
    target, *sources = cases

    status, body = _merge(client_for(other_agent), target, sources)

    assert (status, body["code"]) == (404, "not_found")
    assert not CaseMerge.objects.exists()
    assert Case.objects.filter(status=CaseStatus.CLOSED).count() == 0


@pytest.mark.parametrize("role", ["supervisor", "quality_manager", "admin_user"])
def test_supervisors_quality_and_admins_may_merge(
    request: pytest.FixtureRequest, client_for: ClientFor, cases: list[Case], role: str
) -> None:
    user = request.getfixturevalue(role)
    target, *sources = cases

    assert _merge(client_for(user), target, sources)[0] == 201


def test_split_answers_201_and_refuses_a_message_of_another_case(
    api_client: Client, cases: list[Case]
) -> None:
    case, other, _third = cases
    goes = Interaction.objects.filter(case=case).order_by("id").last()
    assert goes is not None
    foreign = Interaction.objects.filter(case=other).first()
    assert foreign is not None

    refused = api_client.post(
        f"/api/v1/cases/{case.pk}/split",
        {"interaction_ids": [foreign.pk], "subject": "Autre"},
        content_type=JSON,
    )
    response = api_client.post(
        f"/api/v1/cases/{case.pk}/split",
        {"interaction_ids": [goes.pk], "subject": "Autre", "version": case.version},
        content_type=JSON,
    )

    assert refused.status_code == 422
    assert refused.json()["code"] == "validation_error"
    assert list(refused.json()["fields"]) == ["interaction_ids"]
    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["origin_id"]) == ("split", case.pk)
    assert Interaction.objects.get(pk=goes.pk).case_id == body["target_id"]


def test_a_stale_version_on_split_is_a_409_version_conflict(
    api_client: Client, cases: list[Case]
) -> None:
    case = cases[0]
    goes = Interaction.objects.filter(case=case).last()
    assert goes is not None

    response = api_client.post(
        f"/api/v1/cases/{case.pk}/split",
        {"interaction_ids": [goes.pk], "subject": "Autre", "version": case.version + 5},
        content_type=JSON,
    )

    assert response.status_code == 409
    assert response.json()["code"] == "version_conflict"
    assert Case.objects.count() == 3
