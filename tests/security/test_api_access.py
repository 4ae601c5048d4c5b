"""Every API operation of the OpenAPI document, called as every role on demo data.

The sweep is generated from the document, so a new operation is in it the day it is
added: for every operation and every role (anonymous, an agent, an agent of another
team, a supervisor, the quality manager, an administrator), on the demo data with
real ids of objects of the agent's team, with an empty JSON body for writes:
- no answer is a server error;
- anonymous callers are refused (401) everywhere but the signed webhooks, which
  refuse an unsigned request by its signature instead;
- a GET never writes, and a refused request (401, 403, 404, 422) writes nothing;
- an agent of another team never reads the agent's case or what hangs off it.
(The per-role outcomes of each operation with valid bodies are asserted in each
app's own permission tests.)
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import override_settings
from pytest_django import DjangoDbBlocker

from amiable.api.instance import api
from amiable.cases.models import CaseCategory
from amiable.cases.models.routing import RoutingRule
from amiable.cases.models.sla import SlaPolicy
from amiable.commerce.models import Product, Shipment
from amiable.conversations.models import Attachment, OutboxMessage
from amiable.customers.models import CustomerMerge
from amiable.demo.loader import demo_load
from amiable.disputes.models import Dispute, Proposal
from amiable.gestures.models.catalogue import GestureType
from amiable.gestures.models.gestures import Gesture
from amiable.gestures.models.price_protection import PriceDropCampaign
from amiable.inbound.models import InboundEmail, Review, WebhookSource
from amiable.jobs.models import ImportJob
from amiable.macros.models import Macro
from amiable.promises.models import Promise
from amiable.quality.models import Incident, IncidentBulkAction, Problem
from amiable.sla.models import BusinessCalendar
from tests.security.access_scene import (
    ROLE_LOGINS,
    Scene,
    first_pk,
    scene_build,
    writes_fingerprint,
)

REFUSED = {401, 403, 404, 422}
# Operations anonymous callers reach: signed webhooks, refused by their signature.
PUBLIC_PREFIXES = ("/api/v1/inbound/hooks/", "/api/v1/tracking/webhook")
# Reads of one case of the agent's team, or of what only that case holds.
TEAM_READS = (
    "/api/v1/cases/{case_id}",
    "/api/v1/cases/{case_id}/costs",
    "/api/v1/cases/{case_id}/escalations",
    "/api/v1/cases/{case_id}/sla",
    "/api/v1/interactions/{interaction_id}",
    "/api/v1/promises/{promise_id}",
    "/api/v1/gestures/{gesture_id}",
)


def _operations() -> list[tuple[str, str]]:
    """(method, path) of every operation of the document."""
    document = api.get_openapi_schema()
    return sorted(
        (method, path) for path, item in document["paths"].items() for method in item
    )


OPERATIONS = _operations()
PATH_VALUES = {
    "case_id": lambda case: str(case.pk),
    "customer_id": lambda case: str(case.customer_id),
    "interaction_id": lambda case: str(case.interactions.order_by("pk").first().pk),
    "order_id": lambda case: str(case.customer.orders.order_by("pk").first().pk),
    "promise_id": lambda case: first_pk(Promise, case__team=case.team),
    "gesture_id": lambda case: first_pk(Gesture, case__team=case.team),
    "dispute_id": lambda case: first_pk(Dispute),
    "review_id": lambda case: first_pk(Review),
    "product_id": lambda case: first_pk(Product),
    "shipment_id": lambda case: first_pk(Shipment),
    "calendar_id": lambda case: first_pk(BusinessCalendar),
    "type_id": lambda case: first_pk(GestureType),
    "team_id": lambda case: str(case.team_id),
    "rule_id": lambda case: first_pk(RoutingRule),
    "policy_id": lambda case: first_pk(SlaPolicy),
    "merge_id": lambda case: first_pk(CustomerMerge),
    "incident_id": lambda case: first_pk(Incident),
    "email_id": lambda case: first_pk(InboundEmail),
    "campaign_id": lambda case: first_pk(PriceDropCampaign),
    "token_id": lambda case: "1",
    "problem_id": lambda case: first_pk(Problem),
    "action_id": lambda case: first_pk(IncidentBulkAction),
    "proposal_id": lambda case: first_pk(Proposal),
    "entry_id": lambda case: first_pk(CaseCategory),
    "attachment_id": lambda case: first_pk(Attachment, interaction__case=case),
    "macro_id": lambda case: first_pk(Macro),
    "job_id": lambda case: first_pk(ImportJob),
    "outbox_id": lambda case: first_pk(OutboxMessage),
    "source": lambda case: str(
        WebhookSource.objects.order_by("pk").values_list("slug", flat=True).first()
    ),
}


@pytest.fixture(scope="module")
def scene(
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Scene]:
    """The demo data and a token per role, loaded once and rolled back after."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("access-media")),
        transaction.atomic(),
    ):
        demo_load(scale=0.02, progress=False)
        yield scene_build(PATH_VALUES)
        transaction.set_rollback(True)


def _url(path: str, scene: Scene) -> str:
    url = path
    for name, value in scene.path_values.items():
        url = url.replace("{" + name + "}", value)
    assert "{" not in url, f"no value for a path parameter of {path}"
    return url


def test_the_sweep_covers_every_operation() -> None:
    assert len(OPERATIONS) >= 150
    assert set(TEAM_READS) <= {path for _method, path in OPERATIONS}


def _call(scene: Scene, role: str, method: str, url: str) -> tuple[int, str, bool]:
    """(status, error code, whether it wrote), rolled back after."""
    client = scene.clients[role]
    before = writes_fingerprint()
    with transaction.atomic():
        if method == "get":
            response = client.get(url)
        else:
            response = getattr(client, method)(
                url, data=json.dumps({}), content_type="application/json"
            )
        is_json = response.get("Content-Type", "").startswith("application/json")
        body = response.json() if is_json else None
        code = str(body.get("code", "")) if isinstance(body, dict) else ""
        wrote = writes_fingerprint() != before
        transaction.set_rollback(True)
    return response.status_code, code, wrote


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_every_role_on_every_operation(scene: Scene, method: str, path: str) -> None:
    url = _url(path, scene)
    outcomes = {role: _call(scene, role, method, url) for role in ROLE_LOGINS}

    failed = [role for role, (status, _c, _w) in outcomes.items() if status >= 500]
    wrote = [
        role
        for role, (status, _code, did_write) in outcomes.items()
        if did_write and (method == "get" or status in REFUSED)
    ]
    assert failed == [], outcomes
    assert wrote == [], outcomes
    assert (outcomes["anonymous"][1] == "not_authenticated") is not path.startswith(
        PUBLIC_PREFIXES
    ), outcomes


@pytest.mark.django_db
@pytest.mark.parametrize("path", TEAM_READS)
def test_an_agent_of_another_team_never_reads_the_case(scene: Scene, path: str) -> None:
    url = _url(path, scene)

    agent = _call(scene, "agent", "get", url)
    other = _call(scene, "other_agent", "get", url)

    assert (agent[0], other[0], other[1]) == (200, 404, "not_found")
