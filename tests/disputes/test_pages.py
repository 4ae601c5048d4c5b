"""The dispute and cost panels of the case page and the disputes pages, through the
real views: what they show, the forms (input kept on error), who may act, and
fixed query counts."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from amiable.accounts.models import User
from amiable.audit.models import AuditEvent
from amiable.cases.models import Case, CaseCost, CaseKind, CostKind
from amiable.cases.services import case_cost_add, case_log_call
from amiable.conversations.models import Direction, Interaction
from amiable.core.money import Money
from amiable.disputes.models import Dispute, Mediator, ProposalAuthor
from amiable.disputes.services import (
    dispute_open,
    dispute_send_mediator_info,
    dispute_update,
    proposal_add,
)
from amiable.events.models import DomainEvent
from tests.disputes.conftest import paris
from tests.factories import CaseFactory
from tests.factories.disputes import DisputeFactory
from tests.web.conftest import HTMX

NBSP = "\u00a0"


def case_url(case: Case) -> str:
    return reverse("cases:detail", args=[case.pk])


def action(name: str, case: Case) -> str:
    return reverse(f"disputes:{name}", args=[case.pk])


def rows_of(html: str) -> dict[str, str]:
    """Each legal deadline row of the dispute panel, by rule code."""
    found = re.findall(r'<tr data-rule="([^"]+)">(.*?)</tr>', html, flags=re.S)
    return {code: " ".join(body.split()) for code, body in found}


def refer(agent: User, dispute: Dispute, mediator: Mediator) -> Dispute:
    dispute_send_mediator_info(actor=agent, dispute=dispute, mediator=mediator)
    dispute.refresh_from_db()
    dispute = dispute_update(
        actor=agent,
        dispute=dispute,
        expected_version=dispute.version,
        mediator=mediator,
        referred_at=paris(2026, 3, 20, 11),
    )
    return dispute_update(
        actor=agent,
        dispute=dispute,
        expected_version=dispute.version,
        file_complete_at=paris(2026, 3, 28, 12),
    )


def test_a_dispute_shows_its_legal_deadlines_and_total_cost(
    web_client: Client, agent: User, dispute: Dispute, mediator: Mediator
) -> None:
    case = dispute.case
    case_log_call(
        actor=agent,
        case=case,
        direction=Direction.OUTBOUND,
        duration_seconds=30 * 60,  # 30 minutes at 38 €/h: 19,00 €
        outcome="answered",
    )
    added = web_client.post(
        action("cost_add", case),
        {
            "kind": CostKind.REGISTERED_LETTER,
            "amount": "7,35",
            "currency": "EUR",
            "description": "Mise en demeure, LRAR",
            "incurred_on": "2026-03-02",
        },
        headers=HTMX,
    )
    assert added.status_code == 200
    refer(agent, dispute, mediator)  # books the mediator's 150,00 € fee

    response = web_client.get(case_url(case))

    html = response.content.decode()
    rows = rows_of(html)
    assert set(rows) == {
        "FR.MED.PRACTICE_NO_ANSWER_2M",
        "FR.MED.INFO_AFTER_FAILED_COMPLAINT",
        "FR.MED.INADMISSIBILITY_3W",
        "FR.MED.OUTCOME_90D",
        "FR.MED.REFERRAL_WINDOW_1Y",
    }
    assert "C. conso L612-2 4°" in rows["FR.MED.REFERRAL_WINDOW_1Y"]
    assert "mardi 5 janvier 2027" in rows["FR.MED.REFERRAL_WINDOW_1Y"]
    assert "C. conso R612-2, R612-5" in rows["FR.MED.OUTCOME_90D"]
    assert "vendredi 26 juin 2026" in rows["FR.MED.OUTCOME_90D"]
    assert "vendredi 10 avril 2026" in rows["FR.MED.INADMISSIBILITY_3W"]
    total = f"176,35{NBSP}€"
    assert f'data-testid="dispute-total-cost"><strong>{total}</strong>' in html
    assert f'data-testid="cost-total"><strong>{total}</strong>' in html
    assert f"19,00{NBSP}€" in html  # staff time
    assert f"150,00{NBSP}€" in html  # mediator fees


def test_a_cost_with_a_bad_amount_keeps_the_input(
    web_client: Client, dispute: Dispute
) -> None:
    response = web_client.post(
        action("cost_add", dispute.case),
        {"kind": CostKind.POSTAGE, "amount": "douze", "currency": "EUR"},
        headers=HTMX,
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert 'value="douze"' in html
    assert 'class="field-error"' in html
    assert not CaseCost.objects.exists()


def test_a_refused_referral_shows_why_and_keeps_the_input(
    web_client: Client, dispute: Dispute, mediator: Mediator
) -> None:
    response = web_client.post(
        action("dates", dispute.case),
        {
            "version": "1",
            "written_complaint_at": "2026-01-05T09:00",
            "mediator": str(mediator.pk),
            "referred_at": "2026-03-20T11:00",
            "outcome": "pending",
            "is_consumer": "on",
        },
        headers=HTMX,
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert "Envoyez d&#x27;abord au client les coordonnées du médiateur." in html
    assert 'value="2026-03-20T11:00"' in html
    dispute.refresh_from_db()
    assert (dispute.referred_at, dispute.version) == (None, 1)


def test_saving_dates_through_the_panel(web_client: Client, dispute: Dispute) -> None:
    response = web_client.post(
        action("dates", dispute.case),
        {
            "version": "1",
            "written_complaint_at": "2026-01-05T09:00",
            "complaint_failed_at": "2026-02-10T14:30",
            "outcome": "pending",
            "is_consumer": "on",
        },
        headers=HTMX,
    )

    assert response.status_code == 200
    assert 'data-rule="FR.MED.INFO_AFTER_FAILED_COMPLAINT"' in response.content.decode()
    dispute.refresh_from_db()
    assert dispute.complaint_failed_at == paris(2026, 2, 10, 14, 30)
    assert dispute.version == 2


def test_a_stale_dates_form_is_a_conflict(
    web_client: Client, agent: User, dispute: Dispute
) -> None:
    dispute_update(
        actor=agent,
        dispute=dispute,
        expected_version=1,
        outcome_summary="Changé par un collègue",
    )

    response = web_client.post(
        action("dates", dispute.case),
        {"version": "1", "outcome": "pending", "outcome_summary": "Le mien"},
        headers=HTMX,
    )

    assert response.status_code == 409
    assert "Le mien" in response.content.decode()


def test_sending_the_mediators_details_reloads_the_case_page(
    web_client: Client, dispute: Dispute, mediator: Mediator
) -> None:
    response = web_client.post(
        action("mediator_info", dispute.case),
        {"version": "1", "mediator": str(mediator.pk)},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert response["HX-Refresh"] == "true"
    reply = Interaction.objects.get(case=dispute.case)
    assert reply.direction == Direction.OUTBOUND
    assert "https://www.mediateurfevad.fr" in reply.body_text


def test_a_proposal_and_its_answer_through_the_panel(
    web_client: Client, dispute: Dispute
) -> None:
    web_client.post(
        action("proposal_add", dispute.case),
        {
            "version": "1",
            "made_by": ProposalAuthor.COMPANY,
            "description": "Avoir de 120 €",
            "amount": "120,00",
            "proposed_at": "2026-01-15T10:00",
        },
        headers=HTMX,
    )
    proposal = dispute.proposals.get()

    response = web_client.post(
        reverse("disputes:proposal_answer", args=[dispute.case_id, proposal.pk]),
        {"answer": "accepted", "responded_at": "2026-01-16T09:00"},
        headers=HTMX,
    )

    assert response.status_code == 200
    proposal.refresh_from_db()
    dispute.refresh_from_db()
    assert (proposal.amount, proposal.response, dispute.outcome) == (
        Decimal("120.00"),
        "accepted",
        "settled",
    )


def test_a_dispute_case_without_a_track_can_start_one(
    web_client: Client, agent: User
) -> None:
    case = CaseFactory.create(kind=CaseKind.DISPUTE, team=agent.team)
    page = web_client.get(case_url(case)).content.decode()
    assert 'id="dispute-start-form"' in page

    response = web_client.post(
        action("start", case),
        {"written_complaint_at": "2026-11-02T10:00"},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert Dispute.objects.get(case=case).written_complaint_at == paris(2026, 11, 2, 10)


def test_other_cases_have_the_cost_panel_only(web_client: Client, agent: User) -> None:
    case = CaseFactory.create(kind=CaseKind.COMPLAINT, team=agent.team)

    html = web_client.get(case_url(case)).content.decode()

    assert 'id="case-costs"' in html
    assert 'id="dispute-panel"' not in html


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("dates", {"version": "1", "outcome": "pending", "outcome_summary": "x"}),
        ("cost_add", {"kind": "postage", "amount": "3", "currency": "EUR"}),
        (
            "proposal_add",
            {
                "version": "1",
                "made_by": "company",
                "description": "x",
                "proposed_at": "2026-01-15T10:00",
            },
        ),
        ("start", {"written_complaint_at": "2026-01-05T09:00"}),
    ],
)
def test_an_agent_of_another_team_can_neither_see_nor_act(
    other_client: Client, dispute: Dispute, name: str, data: dict[str, str]
) -> None:
    audits = AuditEvent.objects.count()

    response = other_client.post(action(name, dispute.case), data, headers=HTMX)

    assert response.status_code == 404
    assert AuditEvent.objects.count() == audits
    assert not CaseCost.objects.exists()
    assert other_client.get(case_url(dispute.case)).status_code == 404


def test_anonymous_is_sent_to_the_login_page(dispute: Dispute) -> None:
    response = Client().post(action("cost_add", dispute.case), {"kind": "postage"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def page_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_case_page_of_a_dispute_costs_a_fixed_number_of_queries(
    web_client: Client, agent: User, dispute: Dispute, mediator: Mediator
) -> None:
    refer(agent, dispute, mediator)
    page_queries(web_client, case_url(dispute.case))  # the process's caches filled
    small = page_queries(web_client, case_url(dispute.case))
    for index in range(6):
        proposal_add(
            actor=agent,
            dispute=dispute,
            made_by=ProposalAuthor.MEDIATOR,
            description=f"Proposition {index}",
            proposed_at=paris(2026, 4, 1 + index, 10),
            respond_by=paris(2026, 5, 1 + index).date(),
        )
        case_cost_add(
            actor=agent,
            case=dispute.case,
            kind=CostKind.POSTAGE,
            cost=Money(Decimal("1.16"), "EUR"),
        )

    large = page_queries(web_client, case_url(dispute.case))

    assert small == large


def test_the_dispute_list_shows_next_deadline_and_cost_in_fixed_queries(
    web_client: Client, agent: User, dispute: Dispute
) -> None:
    case_cost_add(
        actor=agent,
        case=dispute.case,
        kind=CostKind.LEGAL_FEES,
        cost=Money(Decimal("480.00"), "EUR"),
    )
    url = reverse("disputes:list")
    html = web_client.get(url).content.decode()
    assert dispute.case.reference in html
    assert f"480,00{NBSP}€" in html
    assert "FR.MED.PRACTICE_NO_ANSWER_2M" in html
    few = page_queries(web_client, url)
    for _index in range(8):
        DisputeFactory.create(case__team=agent.team)

    assert page_queries(web_client, url) == few


def test_the_deadlines_page_lists_what_runs_soonest_first(
    web_client: Client, dispute: Dispute
) -> None:
    html = web_client.get(reverse("disputes:deadlines")).content.decode()

    first = html.index("FR.MED.PRACTICE_NO_ANSWER_2M")
    assert first < html.index("FR.MED.REFERRAL_WINDOW_1Y")
    # Our two months to answer ended on 5 March 2026 without an answer.
    assert "1 délai que nous devions tenir est dépassé." in html


def test_the_cost_report_is_for_supervisors(
    web_client: Client, supervisor: User, dispute: Dispute, agent: User
) -> None:
    case_cost_add(
        actor=agent,
        case=dispute.case,
        kind=CostKind.POSTAGE,
        cost=Money(Decimal("4.50"), "EUR"),
        incurred_at=paris(2026, 3, 3, 10),
    )
    supervisor_client = Client()
    supervisor_client.force_login(supervisor)
    url = reverse("disputes:costs")

    assert web_client.get(url).status_code == 403
    response = supervisor_client.get(url, {"group_by": "period", "period": "month"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-key="2026-03-01"' in html
    assert f'data-testid="report-total"><strong>4,50{NBSP}€</strong>' in html


def test_the_cost_report_refuses_reversed_dates(supervisor: User, db: None) -> None:
    client = Client()
    client.force_login(supervisor)

    response = client.get(
        reverse("disputes:costs"), {"date_from": "2026-03-10", "date_to": "2026-03-01"}
    )

    assert response.status_code == 422
    assert 'value="2026-03-10"' in response.content.decode()


def test_saving_the_form_untouched_changes_nothing(
    web_client: Client, agent: User, dispute_case: Case
) -> None:
    Dispute.objects.filter(case=dispute_case).delete()
    exact = paris(2026, 1, 5, 9, 12, 37).replace(microsecond=418_000)
    dispute = dispute_open(actor=agent, case=dispute_case, written_complaint_at=exact)
    events = DomainEvent.objects.count()

    response = web_client.post(
        action("dates", dispute.case),
        {
            "version": "1",
            "written_complaint_at": "2026-01-05T09:12",
            "outcome": "pending",
            "is_consumer": "on",
        },
        headers=HTMX,
    )

    assert response.status_code == 200
    dispute.refresh_from_db()
    assert (dispute.written_complaint_at, dispute.version) == (exact, 1)
    assert DomainEvent.objects.count() == events


def test_the_deadlines_page_costs_the_same_with_more_disputes(
    web_client: Client, agent: User, dispute: Dispute
) -> None:
    url = reverse("disputes:deadlines")
    few = page_queries(web_client, url)
    for _index in range(6):
        case = CaseFactory.create(kind=CaseKind.DISPUTE, team=agent.team)
        dispute_open(actor=agent, case=case, written_complaint_at=paris(2026, 2, 1, 9))

    assert page_queries(web_client, url) == few
