"""The web pages: SLA due times and the ladder on the case page, resolving and
escalating through the forms, the queues and the workload page, the inbox filters;
French and English; roles; flat query counts."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from amiable.accounts.models import Team, User
from amiable.cases.models import (
    Case,
    CaseCategory,
    CaseEscalation,
    CaseKind,
    CaseStatus,
    RootCause,
    SlaPolicy,
)
from amiable.cases.services import case_open
from amiable.cases.tasks import sla_scan_task
from amiable.customers.models import Customer
from tests.cases.conftest import CalendarMaker, Clock, paris
from tests.factories import CaseFactory, CustomerFactory, UserFactory

HTMX = {"HX-Request": "true"}


def _client(user: User, language: str = "fr") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _open(customer: Customer, team: Team, **extra: object) -> Case:
    return case_open(
        actor=None,
        customer=customer,
        subject="Colis introuvable",
        team=team,
        occurred_at=paris(2026, 4, 2, 16),
        **extra,  # type: ignore[arg-type]
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("region", "shown"), [("", "03/04/2026 15:00"), ("57", "07/04/2026 15:00")]
)
def test_the_case_page_shows_hand_computed_due_times(
    customer: Customer,
    team: Team,
    agent: User,
    policy: SlaPolicy,
    make_calendar: CalendarMaker,
    region: str,
    shown: str,
) -> None:
    make_calendar(team=team, name="Équipe", region=region)
    case = _open(customer, team)

    response = _client(agent).get(reverse("cases:detail", args=[case.pk]))

    content = response.content.decode()
    clocks = content[content.index('data-testid="sla-clocks"') :]
    clocks = clocks[: clocks.index("</section>")]
    assert response.status_code == 200
    assert "Première réponse</th>\n              <td><time" in clocks
    assert shown in clocks
    assert "calendrier « Équipe » (version 1)" in clocks


@pytest.mark.django_db
def test_the_case_page_in_english(
    customer: Customer, team: Team, agent: User, policy: SlaPolicy
) -> None:
    case = _open(customer, team)

    content = _client(agent, "en").get(reverse("cases:detail", args=[case.pk]))
    text = content.content.decode()

    assert "Escalation ladder" in text
    assert "First response" in text
    assert "3 Apr 2026, 15:00" in text  # day first, 24-hour clock (config/formats)
    assert "Consumer mediator" in text


@pytest.mark.django_db
def test_resolving_a_complaint_without_taxonomy_keeps_the_input(
    team: Team, agent: User, delivery: CaseCategory
) -> None:
    case = CaseFactory.create(team=team, kind=CaseKind.COMPLAINT)

    response = _client(agent).post(
        reverse("cases:resolve", args=[case.pk]),
        {"resolution_summary": "Remboursement de 12,50 €", "version": "1"},
        headers=HTMX,
    )

    content = response.content.decode()
    assert response.status_code == 422
    assert content.lstrip().startswith('<form id="resolve-form"')
    assert "Le dossier ne peut pas encore être résolu." in content
    assert "Catégorie obligatoire pour ce type de dossier (Réclamation)." in content
    assert "Remboursement de 12,50 €" in content
    assert Case.objects.get(pk=case.pk).status == CaseStatus.OPEN


@pytest.mark.django_db
def test_resolving_a_complaint_through_the_form(
    team: Team, agent: User, delivery: CaseCategory, carrier_delay: RootCause
) -> None:
    case = CaseFactory.create(team=team, kind=CaseKind.COMPLAINT)
    client = _client(agent)

    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    response = client.post(
        reverse("cases:resolve", args=[case.pk]),
        {
            "resolution_summary": "Colis renvoyé",
            "category": "delivery",
            "root_cause": str(carrier_delay.pk),
            "version": "1",
        },
        headers=HTMX,
    )

    content = response.content.decode()
    stored = Case.objects.get(pk=case.pk)
    causes = page[page.index('id="resolve_root_cause"') :]
    causes = causes[: causes.index("</select>")]
    assert '<optgroup label="Logistique">' in causes
    assert f'<option value="{carrier_delay.pk}"' in causes
    assert f'<option value="{carrier_delay.parent_id}"' not in causes  # a family
    assert response.status_code == 200
    assert "Dossier résolu." in content
    assert "Retard du transporteur" in content
    assert (stored.status, stored.root_cause_id) == ("resolved", carrier_delay.pk)


@pytest.mark.django_db
def test_the_status_form_does_not_offer_resolving(team: Team, agent: User) -> None:
    case = CaseFactory.create(team=team)

    content = _client(agent).get(reverse("cases:detail", args=[case.pk])).content
    text = content.decode()
    status_select = text[text.index('id="status-select"') :]
    status_select = status_select[: status_select.index("</select>")]

    assert 'value="resolved"' not in status_select
    assert 'id="resolve-form"' in text


@pytest.mark.django_db
def test_escalating_through_the_form_shows_the_ladder(
    team: Team, agent: User, supervisor: User
) -> None:
    case = CaseFactory.create(team=team, assignee=agent)
    client = _client(agent)

    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    response = client.post(
        reverse("cases:escalate", args=[case.pk]),
        {"level": "1", "reason": "Client très remonté", "version": "1"},
        headers=HTMX,
    )

    content = response.content.decode()
    choices = page[page.index('id="escalate-level"') :]
    choices = choices[: choices.index("</select>")]
    assert '<option value="1"' in choices
    assert '<option value="2"' not in choices  # an agent asks their supervisor
    assert response.status_code == 200
    assert "Escaladé au niveau 1 (Superviseur)." in content
    assert 'aria-current="step"' in content
    assert "Client très remonté" in content
    assert CaseEscalation.objects.get(case=case).escalated_by == agent


@pytest.mark.django_db
def test_an_escalation_without_reason_is_refused_with_the_message(
    team: Team, agent: User
) -> None:
    case = CaseFactory.create(team=team)

    response = _client(agent).post(
        reverse("cases:escalate", args=[case.pk]),
        {"level": "1", "reason": " ", "version": "1"},
        headers=HTMX,
    )

    assert response.status_code == 422
    assert "Indiquez pourquoi le dossier est escaladé." in response.content.decode()
    assert not CaseEscalation.objects.exists()


@pytest.mark.django_db
def test_a_breach_escalates_notifies_and_fills_the_supervisor_queue(
    customer: Customer,
    team: Team,
    agent: User,
    supervisor: User,
    policy: SlaPolicy,
    clock: Clock,
) -> None:
    case = _open(customer, team, assignee=agent)
    clock.set(paris(2026, 4, 3, 15, 5))

    sla_scan_task.enqueue()

    client = _client(supervisor)
    queue = client.get(reverse("cases:supervisor_queue")).content.decode()
    notifications = client.get(reverse("notifications:list")).content.decode()
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert case.reference in queue
    assert 'data-testid="nav-badge">1</span>' in queue
    assert "objectif de première réponse manqué (échéance 03/04/2026 15:00)" in (
        notifications
    )
    assert "Niveau 1 : Superviseur" in page
    assert "Délai de service dépassé" in page
    assert "Manqué" in page
    mine = _client(agent).get(reverse("notifications:list")).content.decode()
    assert "objectif de première réponse manqué" in mine


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "supervisor_queue", "quality_queue"),
    [
        ("other_agent", 404, 404),
        ("agent", 404, 404),
        ("supervisor", 200, 404),
        ("quality_manager", 404, 200),
        ("admin_user", 200, 200),
    ],
)
def test_queue_pages_per_role(
    request: pytest.FixtureRequest,
    team: Team,
    role: str,
    supervisor_queue: int,
    quality_queue: int,
) -> None:
    CaseFactory.create(team=team, escalation_level=1, subject="Niveau un")
    CaseFactory.create(team=team, escalation_level=2, subject="Niveau deux")
    client = _client(request.getfixturevalue(role))

    first = client.get(reverse("cases:supervisor_queue"))
    second = client.get(reverse("cases:quality_queue"))

    assert (first.status_code, second.status_code) == (supervisor_queue, quality_queue)
    assert ("Niveau un" in first.content.decode()) is (supervisor_queue == 200)
    assert ("Niveau deux" in second.content.decode()) is (quality_queue == 200)
    assert "Niveau deux" not in first.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["cases:supervisor_queue", "cases:quality_queue", "cases:workload"]
)
def test_anonymous_visitors_go_to_the_login_page(name: str) -> None:
    url = reverse(name)

    response = Client().get(url)

    assert response["Location"] == f"{reverse('web:login')}?next={url}"


@pytest.mark.django_db
def test_the_quality_queue_filters_mine(
    team: Team, quality_manager: User, second_quality_manager: User
) -> None:
    CaseFactory.create(
        team=team, escalation_level=2, escalation_owner=quality_manager, subject="A moi"
    )
    CaseFactory.create(
        team=team,
        escalation_level=3,
        escalation_owner=second_quality_manager,
        subject="Au collègue",
    )
    client = _client(quality_manager)

    everything = client.get(reverse("cases:quality_queue")).content.decode()
    mine = client.get(reverse("cases:quality_queue"), {"mine": "1"}).content.decode()

    assert ("A moi" in everything, "Au collègue" in everything) == (True, True)
    assert ("A moi" in mine, "Au collègue" in mine) == (True, False)


@pytest.mark.django_db
def test_the_workload_page(
    team: Team, agent: User, supervisor: User, other_agent: User
) -> None:
    CaseFactory.create(team=team, assignee=agent, status=CaseStatus.NEW)
    CaseFactory.create(team=team, assignee=agent, sla_state="at_risk")
    CaseFactory.create(team=team, assignee=agent, status=CaseStatus.CLOSED)
    CaseFactory.create(team=team, assignee=None, status=CaseStatus.NEW)
    User.objects.filter(pk=agent.pk).update(is_available=False)

    as_supervisor = _client(supervisor).get(reverse("cases:workload")).content.decode()
    as_agent = _client(agent).get(reverse("cases:workload")).content.decode()

    table = as_supervisor[as_supervisor.index('data-testid="workload"') :]
    assert agent.display_name in table
    assert supervisor.display_name in table
    assert "Absent" in table
    assert f'?assignee={agent.pk}&amp;sla=at_risk">1</a>' in table
    assert supervisor.display_name not in as_agent[as_agent.index("<table") :]
    assert other_agent.display_name not in as_supervisor
    assert "1 dossier ouvert attend un conseiller." in as_supervisor


@pytest.mark.django_db
def test_inbox_filters_on_service_level_and_escalation(
    team: Team, supervisor: User
) -> None:
    CaseFactory.create(team=team, sla_state="breached", subject="En retard")
    CaseFactory.create(team=team, sla_state="on_track", subject="A l'heure")
    CaseFactory.create(team=team, escalation_level=2, subject="Chez la qualité")
    client = _client(supervisor)

    breached = client.get(reverse("cases:inbox"), {"sla": "breached"}).content.decode()
    escalated = client.get(reverse("cases:inbox"), {"escalation": "2"}).content.decode()
    invalid = client.get(reverse("cases:inbox"), {"sla": "lost"}).content.decode()

    assert ("En retard" in breached, "A l'heure" in breached) == (True, False)
    assert ("Chez la qualité" in escalated, "En retard" in escalated) == (True, False)
    assert "Some filters were ignored" not in invalid
    assert "Certains filtres ont été ignorés" in invalid


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "level"),
    [("cases:supervisor_queue", 1), ("cases:quality_queue", 2), ("cases:workload", 0)],
)
def test_queue_and_workload_pages_make_a_fixed_number_of_queries(
    team: Team, admin_user: User, name: str, level: int
) -> None:
    client = _client(admin_user)
    agents = [UserFactory.create(team=team) for _n in range(2)]
    for agent in agents:
        CaseFactory.create(
            team=team,
            assignee=agent,
            escalation_level=level,
            customer=CustomerFactory.create(),
        )
    few = _count(client, reverse(name))
    agents += [UserFactory.create(team=team) for _n in range(5)]
    for index in range(30):
        CaseFactory.create(
            team=team, assignee=agents[index % len(agents)], escalation_level=level
        )

    assert _count(client, reverse(name)) == few
