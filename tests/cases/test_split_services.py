"""Splitting a case through the services: the chosen messages move to a new case
of the same customer, an undo brings them back, and what is refused."""

from __future__ import annotations

import datetime as dt

import pytest

from amiable.accounts.models import Team, User
from amiable.audit.models import AuditEvent
from amiable.cases.errors import (
    CaseMergeRefusedError,
)
from amiable.cases.models import (
    Case,
    CaseKind,
    CaseStatus,
)
from amiable.cases.services import (
    case_merge_undo,
    case_split,
)
from amiable.conversations.models import Attachment, Channel, Interaction
from amiable.core.errors import ValidationError
from amiable.customers.models import Customer
from amiable.events.models import DomainEvent
from tests.factories import (
    CaseFactory,
    CustomerFactory,
    InteractionFactory,
)
from tests.factories.portal import AttachmentFactory


def _fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def _messages(case: Case) -> set[int]:
    return set(
        Interaction.objects.filter(case=case)
        .exclude(channel=Channel.SYSTEM)
        .values_list("pk", flat=True)
    )


def _lines(case: Case) -> list[str]:
    return list(
        Interaction.objects.filter(case=case, channel=Channel.SYSTEM)
        .order_by("id")
        .values_list("body_text", flat=True)
    )


@pytest.fixture
def customer(db: None) -> Customer:
    return CustomerFactory.create(name="Élodie Martin")


@pytest.mark.django_db
def test_a_split_moves_the_chosen_messages_to_a_new_case_and_undo_brings_them_back(
    customer: Customer, team: Team, agent: User
) -> None:
    case = CaseFactory.create(
        customer=customer, team=team, assignee=agent, kind=CaseKind.COMPLAINT
    )
    stays = InteractionFactory.create(customer=customer, case=case)
    goes = InteractionFactory.create(customer=customer, case=case)
    AttachmentFactory.create(interaction=goes)

    result = case_split(
        actor=agent, case=case, interaction_ids=[goes.pk], subject="Autre commande"
    )

    new = _fresh(result.case)
    assert (new.customer_id, new.team_id, new.assignee_id, new.kind) == (
        customer.pk,
        team.pk,
        agent.pk,
        CaseKind.COMPLAINT,
    )
    assert new.subject == "Autre commande"
    assert _messages(new) == {goes.pk}
    assert _messages(case) == {stays.pk}
    assert Attachment.objects.get().interaction.case_id == new.pk
    assert _lines(case) == [
        f"1 message(s) déplacé(s) vers le nouveau dossier {new.reference}."
    ]
    assert _lines(new) == [f"Scindé de {case.reference} : 1 message(s) déplacé(s) ici."]
    assert AuditEvent.objects.filter(action="case.split").count() == 2
    assert DomainEvent.objects.filter(name="case.split").count() == 1

    case_merge_undo(actor=agent, merge=result.merge)

    assert _messages(case) == {stays.pk, goes.pk}
    assert _messages(new) == set()
    assert _fresh(new).status == CaseStatus.CLOSED
    assert AuditEvent.objects.filter(action="case.split_undo").count() == 2


@pytest.mark.django_db
def test_a_split_keeps_a_message_on_the_case_and_only_takes_its_own(
    customer: Customer, team: Team, agent: User
) -> None:
    case = CaseFactory.create(customer=customer, team=team)
    only = InteractionFactory.create(customer=customer, case=case)
    elsewhere = InteractionFactory.create(
        customer=customer, case=CaseFactory.create(customer=customer, team=team)
    )

    with pytest.raises(CaseMergeRefusedError):
        case_split(actor=agent, case=case, interaction_ids=[only.pk], subject="X")
    with pytest.raises(ValidationError):
        case_split(actor=agent, case=case, interaction_ids=[elsewhere.pk], subject="X")
    with pytest.raises(ValidationError):
        case_split(actor=agent, case=case, interaction_ids=[], subject="X")
    assert Case.objects.count() == 2


@pytest.mark.django_db
def test_a_split_is_not_undone_once_the_new_case_got_new_messages(
    customer: Customer, team: Team, agent: User
) -> None:
    case = CaseFactory.create(customer=customer, team=team)
    InteractionFactory.create(customer=customer, case=case)
    goes = InteractionFactory.create(customer=customer, case=case)
    result = case_split(actor=agent, case=case, interaction_ids=[goes.pk], subject="Y")
    InteractionFactory.create(
        customer=customer, case=result.case, occurred_at=dt.datetime.now(dt.UTC)
    )

    with pytest.raises(CaseMergeRefusedError):
        case_merge_undo(actor=agent, merge=result.merge)
    assert _messages(result.case) != set()
