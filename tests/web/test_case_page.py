"""The case page: timeline, 360 panel and every action through the real views."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from amiable.accounts.models import Team, User
from amiable.cases.models import Case, CaseStatus
from amiable.conversations.attachments import AttachmentIn
from amiable.conversations.models import Channel, Direction
from amiable.conversations.services import interaction_record
from amiable.customers.models import ConsentPurpose, FactCategory
from amiable.customers.services import consent_record, personal_fact_add
from tests.factories import (
    CaseFactory,
    CustomerFactory,
    InteractionFactory,
    OrderFactory,
    UserFactory,
)
from tests.factories.cases import CaseCategoryFactory
from tests.factories.gestures import GestureTypeFactory
from tests.web.conftest import HTMX


@pytest.fixture
def case(team: Team) -> Case:
    customer = CustomerFactory.create(
        name="Jeanne Martin", customer_since=dt.date(2015, 1, 10)
    )
    return CaseFactory.create(
        customer=customer, team=team, subject="Colis abîmé", status=CaseStatus.OPEN
    )


def url(name: str, case: Case) -> str:
    return reverse(f"cases:{name}", args=[case.pk])


def test_case_page_shows_timeline_and_customer_360(
    web_client: Client, case: Case, agent: User
) -> None:
    interaction_record(
        actor=None,
        customer=case.customer,
        case=case,
        channel=Channel.EMAIL,
        direction=Direction.INBOUND,
        body_html="<p>Mon colis est <b>abîmé</b></p><script>alert(1)</script>",
        attachments=[AttachmentIn("photo.png", "image/png", b"\x89PNG\r\n\x1a\nabc")],
    )
    InteractionFactory.create(
        customer=case.customer,
        case=case,
        channel=Channel.NOTE,
        direction=Direction.INTERNAL,
        author=agent,
        body_text="Vérifier avec le transporteur",
    )
    OrderFactory.create(customer=case.customer, total="120.50")
    consent_record(
        actor=agent,
        customer=case.customer,
        purpose=ConsentPurpose.SURVEYS,
        is_granted=True,
        source="web",
    )
    personal_fact_add(
        actor=agent,
        customer=case.customer,
        category=FactCategory.SIZE,
        value="Taille 38",
        purpose="Conseiller les bonnes tailles",
        source="téléphone",
    )

    response = web_client.get(url("detail", case))

    content = response.content.decode()
    assert response.status_code == 200
    assert case.reference in content
    assert "<p>Mon colis est <b>abîmé</b></p>" in content
    assert "<script>alert(1)</script>" not in content
    assert "photo.png" in content
    assert "interaction--inbound" in content
    assert "interaction--internal" in content
    assert "Vérifier avec le transporteur" in content
    assert "Client depuis 11 ans" in content
    assert "120,50\u00a0€" in content
    assert "Taille 38" in content
    assert "Enquêtes de satisfaction" in content


def test_agent_of_another_team_gets_404_and_writes_nothing(
    other_client: Client, case: Case
) -> None:
    page = other_client.get(url("detail", case))
    reply = other_client.post(
        url("reply", case), {"body": "Bonjour", "version": case.version}
    )

    assert page.status_code == 404
    assert reply.status_code == 404
    assert case.interactions.count() == 0


def test_reply_through_htmx_returns_the_new_timeline(
    web_client: Client, case: Case
) -> None:
    response = web_client.post(
        url("reply", case),
        {"body": "Nous vous renvoyons un colis.", "version": case.version},
        headers=HTMX,
    )

    content = response.content.decode()
    case.refresh_from_db()
    assert response.status_code == 200
    assert content.lstrip().startswith('<div id="case-workspace"')
    assert "Nous vous renvoyons un colis." in content
    assert "Réponse envoyée." in content
    assert case.version == 2
    assert 'name="version" value="2"' in content
    assert case.interactions.get().direction == Direction.OUTBOUND


def test_reply_can_wait_for_the_customer(web_client: Client, case: Case) -> None:
    response = web_client.post(
        url("reply", case),
        {
            "body": "Pouvez-vous envoyer une photo ?",
            "version": "1",
            "wait_for_customer": "on",
        },
    )

    case.refresh_from_db()
    assert response.status_code == 302
    assert response.headers["Location"] == url("detail", case)
    assert case.status == CaseStatus.WAITING_CUSTOMER


def test_empty_reply_shows_the_service_message(web_client: Client, case: Case) -> None:
    response = web_client.post(
        url("reply", case), {"body": "   ", "version": "1"}, headers=HTMX
    )

    content = response.content.decode()
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#reply-form"
    assert response.headers["HX-Reswap"] == "outerHTML"
    assert "Le message est vide." in content
    assert case.interactions.count() == 0


def test_reply_on_a_stale_version_still_goes(web_client: Client, case: Case) -> None:
    # A note, a customer's message or a status change meanwhile moved the version:
    # a reply does not wait for it (only a colleague's reply asks to confirm).
    response = web_client.post(
        url("reply", case),
        {"body": "Texte tapé avec soin", "version": "7", "seen": "0"},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert list(case.interactions.values_list("body_text", flat=True)) == [
        "Texte tapé avec soin"
    ]


def test_conflict_without_htmx_renders_the_whole_page(
    web_client: Client, case: Case
) -> None:
    response = web_client.post(url("note", case), {"body": "Ma note", "version": "3"})

    content = response.content.decode()
    assert response.status_code == 409
    assert "<html" in content
    assert "Ma note</textarea>" in content
    assert 'data-testid="reload-link"' in content


def test_note_is_internal(web_client: Client, case: Case, agent: User) -> None:
    response = web_client.post(
        url("note", case), {"body": "Client très patient", "version": "1"}, headers=HTMX
    )

    note = case.interactions.get()
    assert response.status_code == 200
    assert (note.channel, note.direction, note.author) == (
        Channel.NOTE,
        Direction.INTERNAL,
        agent,
    )


def test_log_a_call(web_client: Client, case: Case) -> None:
    response = web_client.post(
        url("call", case),
        {
            "direction": "outbound",
            "duration_minutes": "4",
            "outcome": "answered",
            "notes": "Rappel effectué",
            "version": "1",
        },
        headers=HTMX,
    )

    call = case.interactions.get()
    assert response.status_code == 200
    assert (call.channel, call.time_spent_seconds, call.metadata["outcome"]) == (
        Channel.PHONE,
        240,
        "answered",
    )
    assert "4 min 00 s" in response.content.decode()


def test_invalid_call_keeps_the_typed_notes(web_client: Client, case: Case) -> None:
    response = web_client.post(
        url("call", case),
        {
            "direction": "outbound",
            "duration_minutes": "-3",
            "outcome": "answered",
            "notes": "Notes à garder",
            "version": "1",
        },
        headers=HTMX,
    )

    content = response.content.decode()
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#call-form"
    assert "Notes à garder</textarea>" in content
    assert "Assurez-vous que cette valeur est supérieure ou égale à 0." in content
    assert case.interactions.count() == 0


def test_status_change_offers_only_allowed_statuses(
    web_client: Client, team: Team
) -> None:
    case = CaseFactory.create(team=team, status=CaseStatus.RESOLVED)

    response = web_client.get(url("detail", case))

    content = response.content.decode()
    status_form = content[content.index('id="status-select"') :]
    status_form = status_form[: status_form.index("</select>")]
    assert 'value="open"' in status_form
    assert 'value="closed"' in status_form
    assert 'value="waiting_customer"' not in status_form


def test_status_change(web_client: Client, case: Case) -> None:
    response = web_client.post(
        url("status", case),
        {"status": "waiting_third_party", "version": "1"},
        headers=HTMX,
    )

    case.refresh_from_db()
    assert response.status_code == 200
    assert case.status == CaseStatus.WAITING_THIRD_PARTY
    assert "Statut changé en « En attente d’un tiers »." in response.content.decode()


def test_illegal_status_change_shows_the_409_message(
    web_client: Client, team: Team
) -> None:
    case = CaseFactory.create(team=team, status=CaseStatus.CLOSED)

    response = web_client.post(
        url("status", case),
        {"status": "waiting_customer", "version": "1"},
        headers=HTMX,
    )

    case.refresh_from_db()
    assert response.status_code == 409
    assert response.headers["HX-Retarget"] == "#status-form"
    assert 'role="alert"' in response.content.decode()
    assert case.status == CaseStatus.CLOSED


def test_agent_takes_an_unassigned_case(
    web_client: Client, agent: User, case: Case
) -> None:
    page = web_client.get(url("detail", case))
    response = web_client.post(
        url("assign", case), {"assignee": "me", "version": "1"}, headers=HTMX
    )

    case.refresh_from_db()
    assert "Prendre en charge" in page.content.decode()
    assert 'id="assign-select"' not in page.content.decode()
    assert response.status_code == 200
    assert case.assignee == agent


def test_agent_cannot_assign_someone_else(
    web_client: Client, team: Team, case: Case
) -> None:
    colleague = UserFactory.create(team=team)

    response = web_client.post(
        url("assign", case),
        {"assignee": str(colleague.pk), "version": "1"},
        headers=HTMX,
    )

    case.refresh_from_db()
    assert response.status_code == 403
    assert "Seuls les superviseurs peuvent attribuer" in response.content.decode()
    assert case.assignee is None


def test_supervisor_assigns_anyone(
    supervisor_client: Client, team: Team, case: Case
) -> None:
    colleague = UserFactory.create(team=team, first_name="Paul", last_name="Durand")

    page = supervisor_client.get(url("detail", case))
    response = supervisor_client.post(
        url("assign", case), {"assignee": str(colleague.pk), "version": "1"}
    )

    case.refresh_from_db()
    assert 'id="assign-select"' in page.content.decode()
    assert response.status_code == 302
    assert case.assignee == colleague


def test_assigning_an_unknown_user_is_a_clear_error(
    supervisor_client: Client, case: Case
) -> None:
    response = supervisor_client.post(
        url("assign", case), {"assignee": "999999", "version": "1"}, headers=HTMX
    )

    assert response.status_code == 404
    assert "Utilisateur inconnu." in response.content.decode()


def add_interactions(case: Case, count: int, author: User) -> None:
    for index in range(count):
        InteractionFactory.create(
            customer=case.customer,
            case=case,
            author=author,
            direction=Direction.OUTBOUND if index % 2 else Direction.INBOUND,
            occurred_at=timezone.now() - dt.timedelta(minutes=count - index),
        )
        OrderFactory.create(customer=case.customer)


def page_queries(client: Client, case: Case) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url("detail", case))
    assert response.status_code == 200
    return len(captured)


# 12 for the case itself, its timeline, 360 and forms (the header's team is the
# case's, not read again); +2 for the SLA clocks and the escalation ladder; the
# panels of other apps: gestures (its gestures: 1; the order lines only when the
# catalogue has a type), disputes (the cost panel: 1, the time spent is the
# timeline's), quality (3), promises (1: the case's promises); the customer's open
# cases, and their promises and gestures on other cases, every team's (3); the
# agent's reply draft (1); the tags and custom fields panel (1: the case's tags;
# the case's values only when a field is defined); merging and splitting (2:
# whether a merge touches the case, the cases it may be merged into; the messages
# to split are the timeline's); the live part: its unread mark (1). The mailbox
# the customer wrote to (the reply's sender) and the case's mark for the poller
# are taken from the timeline too. Promises and gestures read their ids first:
# their rows are one more query each only when there are some. The supervisor's
# page also counts the approvals and supervisor-queue badges in the navigation.
#
# What changes a few times a year or is a statistic is kept by the process
# (``core.config_cache``) and read only on a cold page: the two taxonomies of the
# resolve form, the gesture catalogue, the custom field definitions, the tags in
# use for suggestions, the history of a promise's suggested due date and the
# agent's kept-rate.
CACHED_PER_PROCESS = 7


@pytest.mark.parametrize(
    ("client_fixture", "expected"), [("web_client", 28), ("supervisor_client", 31)]
)
def test_case_page_query_count_does_not_grow_with_interactions(
    request: pytest.FixtureRequest,
    case: Case,
    agent: User,
    client_fixture: str,
    expected: int,
) -> None:
    client: Client = request.getfixturevalue(client_fixture)
    add_interactions(case, 5, agent)
    cold = page_queries(client, case)
    with_five = page_queries(client, case)
    add_interactions(case, 45, agent)

    with_fifty = page_queries(client, case)

    assert with_five == with_fifty == expected
    assert cold == expected + CACHED_PER_PROCESS


@pytest.mark.django_db
def test_what_the_process_keeps_is_read_again_once_changed(
    web_client: Client, case: Case
) -> None:
    """A category added and a gesture type withdrawn show on the next page,
    though the page before filled the process's caches."""
    GestureTypeFactory.create(code="geste-avoir", name_fr="Avoir sur commande")
    gift = GestureTypeFactory.create(code="geste-bon", name_fr="Bon cadeau rare")
    before = web_client.get(url("detail", case)).content.decode()
    cached = page_queries(web_client, case)
    CaseCategoryFactory.create(code="colis-abime", name_fr="Colis abîmé")
    gift.is_active = False
    gift.save()

    after = web_client.get(url("detail", case)).content.decode()
    again = page_queries(web_client, case)

    assert ("Bon cadeau rare" in before, "Bon cadeau rare" in after) == (True, False)
    assert ('value="colis-abime"' in before, 'value="colis-abime"' in after) == (
        False,
        True,
    )
    assert again == cached
