"""Panels: sections other apps add to the case and customer pages."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from django.test import Client

from amiable.accounts.models import Team, User
from amiable.cases.models import Case
from amiable.core.panels import (
    Panel,
    PanelRequest,
    PanelSlot,
    panel_register,
    panel_unregister,
)
from tests.factories import CaseFactory, CustomerFactory

SEEN: list[PanelRequest] = []


def _shown(panel: PanelRequest) -> Mapping[str, Any] | None:
    SEEN.append(panel)
    return {"surveys": []}


def _hidden(panel: PanelRequest) -> Mapping[str, Any] | None:
    return None


@pytest.fixture
def panels() -> Iterator[None]:
    SEEN.clear()
    for name, context, order in [("tests.b", _shown, 2), ("tests.a", _hidden, 1)]:
        panel_register(
            Panel(
                slot=PanelSlot.CASE_ASIDE,
                name=name,
                template="feedback/panels/customer.html",
                context=context,
                order=order,
            )
        )
    yield
    panel_unregister("tests.a")
    panel_unregister("tests.b")


@pytest.fixture
def case(team: Team) -> Case:
    return CaseFactory.create(customer=CustomerFactory.create(), team=team)


def test_the_case_page_renders_registered_panels_for_its_viewer(
    panels: None, web_client: Client, case: Case, agent: User
) -> None:
    response = web_client.get(f"/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="en")

    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('id="customer-surveys"') == 1  # the hidden one shows nothing
    assert [(seen.subject, seen.actor) for seen in SEEN] == [(case, agent)]


def test_the_customer_page_shows_the_surveys_panel(
    web_client: Client, case: Case
) -> None:
    response = web_client.get(
        f"/customers/{case.customer_id}/", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    assert "No survey sent yet." in response.content.decode()
