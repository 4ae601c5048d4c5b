"""Incidents: declare one, link its cases, reply to all (each customer in their
language, once even when run again) and resolve all, from the incident page; who
may do what; the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from amiable.accounts.models import User
from amiable.audit.models import AuditEvent
from amiable.cases.models import Case, CaseStatus, RootCause
from amiable.conversations.models import Direction, Interaction
from amiable.quality.models import (
    BulkStatus,
    Incident,
    IncidentBulkAction,
    IncidentCase,
    IncidentStatus,
    ResolutionConfirmation,
)
from amiable.quality.services import incident_bulk_run
from tests.factories import CaseFactory, TeamFactory
from tests.factories.quality import IncidentFactory, RootCauseFactory
from tests.quality.conftest import JSON, OnCommit, customer_with_email


def web(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def outage(supervisor: User) -> Incident:
    return IncidentFactory.create(title="Panne du site de paiement", owner=supervisor)


@pytest.fixture
def cases(agent: User) -> list[Case]:
    people = [
        customer_with_email("Chloé Durand", "chloe@exemple.fr", "fr"),
        customer_with_email("Oliver Brown", "oliver@example.co.uk", "en"),
        customer_with_email("Élise Petit", "elise@exemple.fr", "fr"),
    ]
    return [
        CaseFactory.create(customer=person, team=agent.team, status=status)
        for person, status in zip(
            people,
            [CaseStatus.OPEN, CaseStatus.WAITING_CUSTOMER, CaseStatus.CLOSED],
            strict=True,
        )
    ]


@pytest.fixture
def cause(db: None) -> RootCause:
    return RootCauseFactory.create(code="payment-outage", name_fr="Panne paiement")


def link_all(client: Client, incident: Incident, cases: list[Case]) -> Any:
    return client.post(
        f"/quality/incidents/{incident.pk}/cases/",
        {"references": "\n".join(case.reference for case in cases)},
    )


def test_declaring_an_incident_is_for_supervisors(
    supervisor: User, agent: User
) -> None:
    refused = web(agent).post(
        "/quality/incidents/new/",
        {"title": "Retard Colissimo", "kind": "shipment_delay"},
    )
    declared = web(supervisor).post(
        "/quality/incidents/new/",
        {"title": "Retard Colissimo", "kind": "shipment_delay"},
    )

    assert refused.status_code == 403
    incident = Incident.objects.get()
    assert declared["Location"] == f"/quality/incidents/{incident.pk}/"
    assert (incident.kind, incident.owner, incident.created_by) == (
        "shipment_delay",
        supervisor,
        supervisor,
    )


def test_linking_cases_by_reference(
    supervisor: User, outage: Incident, cases: list[Case]
) -> None:
    client = web(supervisor)

    response = link_all(client, outage, cases)

    assert response.status_code == 302
    assert set(outage.links.values_list("case_id", flat=True)) == {c.pk for c in cases}
    html = client.get(f"/quality/incidents/{outage.pk}/").content.decode()
    assert html.count("<tr data-case=") == 3


def test_a_case_in_another_incident_is_refused_and_nothing_is_linked(
    supervisor: User, outage: Incident, cases: list[Case]
) -> None:
    other = IncidentFactory.create(title="Autre panne")
    IncidentCase.objects.create(
        incident=other, case=cases[1], linked_at=other.started_at
    )

    response = link_all(web(supervisor), outage, cases)

    html = response.content.decode()
    assert response.status_code == 409
    assert "font déjà partie d&#x27;un autre incident" in html
    assert cases[1].reference in html
    assert not outage.links.exists()


def test_an_unknown_reference_keeps_the_input(
    supervisor: User, outage: Incident
) -> None:
    response = web(supervisor).post(
        f"/quality/incidents/{outage.pk}/cases/", {"references": "C-2026-999999"}
    )

    assert response.status_code == 404
    assert "C-2026-999999" in response.content.decode()


def test_reply_to_all_in_each_customers_language(
    supervisor: User,
    outage: Incident,
    cases: list[Case],
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    client = web(supervisor)
    link_all(client, outage, cases)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/quality/incidents/{outage.pk}/reply-all/",
            {
                "body_fr": "Bonjour {name}, votre dossier {reference} est suivi.",
                "body_en": "Hello {name}, your case {reference} is on our radar.",
                "wait_for_customer": "on",
            },
        )

    assert response.status_code == 302
    action = IncidentBulkAction.objects.get()
    assert (action.status, action.done_count, action.skipped_count) == (
        BulkStatus.DONE,
        2,
        1,  # the closed case gets no reply
    )
    replies = {
        reply.case_id: reply.body_text
        for reply in Interaction.objects.filter(direction=Direction.OUTBOUND)
    }
    assert replies == {
        cases[
            0
        ].pk: f"Bonjour Chloé Durand, votre dossier {cases[0].reference} est suivi.",
        cases[
            1
        ].pk: f"Hello Oliver Brown, your case {cases[1].reference} is on our radar.",
    }
    assert sorted(message.to[0] for message in mail.outbox) == [
        "chloe@exemple.fr",
        "oliver@example.co.uk",
    ]
    assert Case.objects.get(pk=cases[0].pk).status == CaseStatus.WAITING_CUSTOMER


def test_running_a_bulk_action_again_replies_to_nobody_twice(
    supervisor: User,
    outage: Incident,
    cases: list[Case],
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    client = web(supervisor)
    link_all(client, outage, cases)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/quality/incidents/{outage.pk}/reply-all/",
            {"body_fr": "Nous y travaillons."},
        )
    action = IncidentBulkAction.objects.get()
    IncidentBulkAction.objects.filter(pk=action.pk).update(status=BulkStatus.RUNNING)

    incident_bulk_run(action_id=action.pk)

    assert Interaction.objects.filter(direction=Direction.OUTBOUND).count() == 2


def test_resolve_all_from_the_incident_page(
    supervisor: User,
    outage: Incident,
    cases: list[Case],
    cause: RootCause,
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    client = web(supervisor)
    link_all(client, outage, cases)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/quality/incidents/{outage.pk}/resolve-all/",
            {
                "version": "1",
                "summary": "Paiement rétabli, commandes rejouées.",
                "root_cause": str(cause.pk),
            },
        )

    assert response.status_code == 302
    outage.refresh_from_db()
    assert (outage.status, outage.root_cause, outage.version) == (
        IncidentStatus.RESOLVED,
        cause,
        2,
    )
    statuses = dict(
        Case.objects.filter(pk__in=[c.pk for c in cases]).values_list("pk", "status")
    )
    assert statuses == {
        cases[0].pk: CaseStatus.RESOLVED,
        cases[1].pk: CaseStatus.RESOLVED,
        cases[2].pk: CaseStatus.CLOSED,
    }
    resolved = Case.objects.get(pk=cases[0].pk)
    assert (resolved.resolution_summary, resolved.root_cause) == (
        "Paiement rétabli, commandes rejouées.",
        cause,
    )
    # Each resolved case asks its customer to confirm.
    assert ResolutionConfirmation.objects.filter(case__in=cases[:2]).count() == 2
    action = IncidentBulkAction.objects.get()
    assert (action.done_count, action.skipped_count, action.failed_count) == (2, 1, 0)


def test_resolve_all_needs_a_summary_and_a_root_cause(
    supervisor: User, outage: Incident
) -> None:
    response = web(supervisor).post(
        f"/quality/incidents/{outage.pk}/resolve-all/", {"version": "1", "summary": ""}
    )

    assert response.status_code == 422
    outage.refresh_from_db()
    assert outage.status == IncidentStatus.OPEN


def test_a_supervisor_acts_only_on_the_cases_of_their_team(
    supervisor: User,
    quality_manager: User,
    outage: Incident,
    cases: list[Case],
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    elsewhere = CaseFactory.create(team=TeamFactory.create(name="Ailleurs"))
    link_all(web(quality_manager), outage, [*cases[:1], elsewhere])

    with django_capture_on_commit_callbacks(execute=True):
        web(supervisor).post(
            f"/quality/incidents/{outage.pk}/reply-all/", {"body_fr": "Bonjour"}
        )

    assert list(
        Interaction.objects.filter(direction=Direction.OUTBOUND).values_list(
            "case_id", flat=True
        )
    ) == [cases[0].pk]


def test_an_agent_links_their_case_from_the_case_page(
    agent: User, outage: Incident, cases: list[Case]
) -> None:
    response = web(agent).post(
        f"/quality/cases/{cases[0].pk}/incident/",
        {"incident": str(outage.pk)},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert "Le dossier est lié à l&#x27;incident." in response.content.decode()
    assert IncidentCase.objects.get(case=cases[0]).incident == outage


def test_agents_see_incidents_but_cannot_act_on_all(
    agent: User, outage: Incident, cases: list[Case]
) -> None:
    client = web(agent)
    audits = AuditEvent.objects.count()

    page = client.get(f"/quality/incidents/{outage.pk}/")
    reply = client.post(f"/quality/incidents/{outage.pk}/reply-all/", {"body_fr": "x"})

    assert page.status_code == 200
    assert 'id="reply-all-form"' not in page.content.decode()
    assert reply.status_code == 403
    assert AuditEvent.objects.count() == audits


def test_the_incident_api(
    client_for: Any,
    supervisor: User,
    cases: list[Case],
    cause: RootCause,
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    client = client_for(supervisor)
    created = client.post(
        "/api/v1/incidents",
        {"title": "Lot 4521 en retard", "kind": "shipment_delay"},
        content_type=JSON,
    )
    assert created.status_code == 201
    incident_id = created.json()["id"]
    linked = client.post(
        f"/api/v1/incidents/{incident_id}/cases",
        {"case_ids": [case.pk for case in cases[:2]]},
        content_type=JSON,
    )
    assert linked.status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        resolved = client.post(
            f"/api/v1/incidents/{incident_id}/resolve",
            {"summary": "Lot livré", "root_cause_id": cause.pk},
            content_type=JSON,
        )

    assert resolved.status_code == 202
    action = client.get(
        f"/api/v1/incidents/{incident_id}/actions/{resolved.json()['id']}"
    ).json()
    assert (action["status"], action["done_count"]) == ("done", 2)
    listed = client.get("/api/v1/incidents").json()["items"]
    assert [
        (item["id"], item["case_count"], item["open_count"]) for item in listed
    ] == [(incident_id, 2, 0)]
    cases_page = client.get(f"/api/v1/incidents/{incident_id}/cases").json()
    assert {item["id"] for item in cases_page["items"]} == {cases[0].pk, cases[1].pk}
    unlinked = client.delete(f"/api/v1/incidents/{incident_id}/cases/{cases[0].pk}")
    assert unlinked.status_code == 204


def test_the_incident_pages_cost_the_same_with_more_cases(
    supervisor: User, outage: Incident, agent: User
) -> None:
    client = web(supervisor)

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def grow(size: int) -> None:
        for _index in range(size):
            case = CaseFactory.create(team=agent.team)
            IncidentCase.objects.create(
                incident=outage, case=case, linked_at=outage.started_at
            )
        IncidentFactory.create()

    grow(2)
    few = count(f"/quality/incidents/{outage.pk}/"), count("/quality/incidents/")
    grow(12)

    many = count(f"/quality/incidents/{outage.pk}/"), count("/quality/incidents/")
    assert many == few
