"""Fixtures of the quality tests: customers with an email, resolved cases, clients."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client

from amiable.accounts.models import User
from amiable.cases.models import Case, CaseKind, CaseStatus
from amiable.customers.models import Customer
from amiable.quality.models import ResolutionConfirmation
from amiable.quality.signing import token_make
from tests.factories import CaseFactory, CustomerFactory, IdentityFactory
from tests.factories.cases import CaseCategoryFactory, RootCauseFactory

OnCommit = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]
JSON = "application/json"


def customer_with_email(name: str, email: str, language: str = "fr") -> Customer:
    person = CustomerFactory.create(name=name, preferred_language=language)
    IdentityFactory.create(customer=person, value=email, normalized=email.lower())
    return person


@pytest.fixture
def customer(db: None) -> Customer:
    return customer_with_email("Claire Martin", "claire@exemple.fr")


@pytest.fixture
def open_case(agent: User, customer: Customer) -> Case:
    return CaseFactory.create(
        customer=customer,
        team=agent.team,
        assignee=agent,
        kind=CaseKind.COMPLAINT,
        subject="Colis jamais arrivé",
        status=CaseStatus.OPEN,
    )


@pytest.fixture
def client_for(token_for: Callable[[User], str]) -> Callable[[User], Client]:
    def make(user: User) -> Client:
        return Client(headers={"Authorization": f"Bearer {token_for(user)}"})

    return make


@pytest.fixture
def agent_api(client_for: Callable[[User], Client], agent: User) -> Client:
    return client_for(agent)


def link(confirmation: ResolutionConfirmation, answer: str = "") -> str:
    path = f"/r/{token_make(confirmation.public_key)}/"
    return f"{path}?answer={answer}" if answer else path


def resolve_through_api(
    client: Client, case: Case, on_commit: OnCommit
) -> ResolutionConfirmation:
    """Resolve through the cases API (with the summary, category and root cause a
    complaint needs) and run what follows the commit (events)."""
    category = CaseCategoryFactory.create(code="livraison")
    cause = RootCauseFactory.create(code="retard-transporteur")
    with on_commit(execute=True):
        response = client.post(
            f"/api/v1/cases/{case.pk}/resolve",
            {
                "resolution_summary": "Colis retrouvé et livré.",
                "category": category.code,
                "root_cause_id": cause.pk,
            },
            content_type=JSON,
        )
    assert response.status_code == 200, response.content
    return ResolutionConfirmation.objects.get(case=case)
