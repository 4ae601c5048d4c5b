"""The merge and split pages: the inbox's bulk « merge » leads to a confirmation
choosing the case to keep; the case page merges into another case, splits
messages off, shows « merged into » and the undo links; errors are shown on the
form with what was typed kept."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from amiable.accounts.models import Team, User
from amiable.audit.models import AuditEvent
from amiable.cases.models import Case, CaseMerge, CaseStatus
from amiable.cases.services import case_merge
from amiable.conversations.models import Channel, Interaction
from amiable.customers.models import Customer
from tests.factories import CaseFactory, CustomerFactory, InteractionFactory

MERGE_URL = reverse("cases:merge")


@pytest.fixture
def customer(db: None) -> Customer:
    return CustomerFactory.create(name="Élodie Martin")


@pytest.fixture
def pair(customer: Customer, team: Team) -> list[Case]:
    first = CaseFactory.create(customer=customer, team=team, subject="Colis abîmé")
    second = CaseFactory.create(customer=customer, team=team, subject="Colis abîmé 2")
    for case in (first, second):
        InteractionFactory.create(customer=customer, case=case)
    return [first, second]


def _tokens(cases: list[Case]) -> list[str]:
    return [f"{case.pk}:{case.version}" for case in cases]


@pytest.mark.django_db
def test_the_inbox_bulk_merge_shows_a_confirmation_with_the_oldest_case_chosen(
    web_client: Client, pair: list[Case]
) -> None:
    response = web_client.post(
        reverse("cases:bulk"),
        {"cases": _tokens(pair), "action": "merge", "next": "/cases/?view=mine"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="merge-confirm"' in page
    assert f'value="{pair[0].pk}" id="target-{pair[0].pk}" checked' in page
    assert 'href="/cases/?view=mine"' in page
    assert not CaseMerge.objects.exists()


@pytest.mark.django_db
def test_confirming_merges_and_the_flash_links_to_the_undo_page(
    web_client: Client, pair: list[Case], agent: User
) -> None:
    first, second = pair
    response = web_client.post(
        MERGE_URL,
        {"cases": _tokens(pair), "target": second.pk, "confirmed": "1"},
        follow=True,
    )

    merge = CaseMerge.objects.get()
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("cases:detail", args=[second.pk])
    assert f"{first.reference} fusionné(s) dans {second.reference}." in page
    assert f'href="{reverse("cases:merge_undo", args=[merge.pk])}"' in page
    assert Case.objects.get(pk=first.pk).status == CaseStatus.CLOSED
    assert AuditEvent.objects.filter(actor=agent, action="case.merge_into").count() == 1


@pytest.mark.django_db
def test_the_merged_case_page_links_to_its_target_and_offers_undo(
    web_client: Client, pair: list[Case], agent: User
) -> None:
    first, second = pair
    merge = case_merge(actor=agent, target=second, sources=[first]).merge

    page = web_client.get(reverse("cases:detail", args=[first.pk])).content.decode()

    assert 'data-testid="merged-into"' in page
    assert f'href="/cases/{second.pk}/"' in page
    assert reverse("cases:merge_undo", args=[merge.pk]) in page
    assert 'data-testid="case-merging"' not in page  # no merging a merged case


@pytest.mark.django_db
def test_undo_page_confirms_then_undoes(
    web_client: Client, pair: list[Case], agent: User
) -> None:
    first, second = pair
    merge = case_merge(actor=agent, target=second, sources=[first]).merge
    url = reverse("cases:merge_undo", args=[merge.pk])

    shown = web_client.get(url)
    assert shown.status_code == 200
    assert first.reference in shown.content.decode()
    assert CaseMerge.objects.get().undone_at is None

    response = web_client.post(url)

    assert response.status_code == 302
    assert Case.objects.get(pk=first.pk).status == CaseStatus.OPEN
    again = web_client.post(url)
    assert again.status_code == 409
    assert "C’est déjà annulé." in again.content.decode()


@pytest.mark.django_db
def test_a_merge_refused_by_the_service_comes_back_with_the_choice_kept(
    web_client: Client, pair: list[Case], team: Team
) -> None:
    stranger = CaseFactory.create(team=team, customer=CustomerFactory.create())
    cases = [*pair, stranger]

    response = web_client.post(
        MERGE_URL, {"cases": _tokens(cases), "target": pair[1].pk, "confirmed": "1"}
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert 'class="form-errors"' in page
    assert "Seuls les dossiers d’un même client peuvent être fusionnés" in page
    assert f'value="{pair[1].pk}" id="target-{pair[1].pk}" checked' in page
    assert 'data-testid="mixed-customers"' in page
    assert not CaseMerge.objects.exists()


@pytest.mark.django_db
def test_a_case_of_another_team_is_not_merged_from_the_page(
    web_client: Client, pair: list[Case], customer: Customer, other_team: Team
) -> None:
    theirs = CaseFactory.create(customer=customer, team=other_team)

    response = web_client.post(
        MERGE_URL,
        {"cases": _tokens([pair[0], theirs]), "target": pair[0].pk, "confirmed": "1"},
    )

    assert response.status_code == 404
    assert theirs.reference not in response.content.decode()
    assert Case.objects.get(pk=theirs.pk).status == CaseStatus.OPEN


@pytest.mark.django_db
def test_merge_into_from_the_case_page_adds_the_target_to_the_selection(
    web_client: Client, pair: list[Case]
) -> None:
    first, second = pair
    page = web_client.get(reverse("cases:detail", args=[first.pk])).content.decode()
    assert 'data-testid="merge-into"' in page
    assert f'<option value="{second.pk}">{second.reference}' in page

    response = web_client.post(MERGE_URL, {"cases": [first.pk], "target": second.pk})

    assert response.status_code == 200
    confirm = response.content.decode()
    assert f'name="cases" value="{first.pk}"' in confirm
    assert f'name="cases" value="{second.pk}"' in confirm
    assert f'value="{second.pk}" id="target-{second.pk}" checked' in confirm


@pytest.mark.django_db
def test_splitting_from_the_page_moves_the_chosen_messages(
    web_client: Client, pair: list[Case], customer: Customer
) -> None:
    case = pair[0]
    goes = InteractionFactory.create(customer=customer, case=case)
    url = reverse("cases:split", args=[case.pk])
    assert web_client.get(url, {"messages": goes.pk}).status_code == 200
    case_page = web_client.get(reverse("cases:detail", args=[case.pk]))
    assert f'action="{url}" data-testid="split-inline"' in case_page.content.decode()
    assert f'name="messages" value="{goes.pk}"' in case_page.content.decode()

    response = web_client.post(
        url, {"messages": [goes.pk], "subject": "Deuxième commande", "version": 1}
    )

    new = Case.objects.get(subject="Deuxième commande")
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[new.pk])
    assert Interaction.objects.get(pk=goes.pk).case_id == new.pk


@pytest.mark.django_db
def test_a_split_error_keeps_the_subject_and_the_ticked_messages(
    web_client: Client, pair: list[Case]
) -> None:
    case = pair[0]
    only = Interaction.objects.filter(case=case).exclude(channel=Channel.SYSTEM).get()

    response = web_client.post(
        reverse("cases:split", args=[case.pk]),
        {"messages": [only.pk], "subject": "Mon sujet tapé", "version": case.version},
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "Laissez au moins un message dans le dossier" in page
    assert 'value="Mon sujet tapé"' in page
    assert f'value="{only.pk}" checked' in page
    assert Case.objects.count() == 2


def _case_page_queries(client: Client, case: Case) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_the_case_page_queries_do_not_grow_with_the_merges(
    web_client: Client, customer: Customer, team: Team, agent: User
) -> None:
    target = CaseFactory.create(customer=customer, team=team)
    case_merge(
        actor=agent,
        target=target,
        sources=[CaseFactory.create(customer=customer, team=team)],
    )
    _case_page_queries(web_client, target)  # the process's caches filled
    one = _case_page_queries(web_client, target)
    for _ in range(3):
        source = CaseFactory.create(customer=customer, team=team)
        case_merge(actor=agent, target=target, sources=[source])

    assert _case_page_queries(web_client, target) == one
