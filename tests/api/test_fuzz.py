"""Bounded fuzzing of every API operation against its OpenAPI document.

Schemathesis generates valid and invalid requests from the document and sends them
in process (WSGI) with an administrator's token and with an agent's; every answer
must be documented: no 5xx, a documented status code, content type, headers and
body. Derandomized and small so that it is deterministic and quick;
``scripts/fuzz_api.sh`` is the long run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import CheckFunction
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    ensure_resource_availability,
    ignored_auth,
    positive_data_acceptance,
    use_after_free,
)

from amiable.accounts.models import User
from amiable.api.instance import api
from tests.factories import (
    CaseFactory,
    OrderFactory,
    ProductFactory,
    ShipmentFactory,
)
from tests.factories.disputes import DisputeFactory
from tests.factories.gestures import GestureFactory
from tests.factories.promises import PromiseFactory
from tests.factories.quality import IncidentFactory

# Excluded: operations the fuzzer cannot drive meaningfully in a random order.
# Revoking a token would revoke the fuzzer's own (token ids start at 1).
EXCLUDED_OPERATIONS = {"amiable_accounts_api_token_revoke_api"}
# positive_data_acceptance: schema-valid requests still meet business rules (an
# unknown root cause, a merged customer, an opaque cursor) answered 404/422 by design.
# The stateful checks need links between operations and a shared state.
EXCLUDED_CHECKS: list[CheckFunction] = [
    positive_data_acceptance,
    use_after_free,
    ensure_resource_availability,
    ignored_auth,
]

CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"mode": "all", "deterministic": True},
        "phases": {"coverage": {"enabled": False}},
    }
)
# Raw RFC 822 messages (the inbound email hook) are sent as the bytes generated.
schemathesis.serializer.alias("message/rfc822", "application/octet-stream")
schema = schemathesis.openapi.from_dict(
    api.get_openapi_schema(), config=CONFIG
).exclude(operation_id=list(EXCLUDED_OPERATIONS))
schema.app = get_wsgi_application()


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """The WSGI handler closes the connection after each request, as Django's test
    client does not: it would end the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def some_data(agent: User) -> None:
    """A few rows of each kind, so that small generated ids sometimes exist."""
    case = CaseFactory.create(team=agent.team)
    OrderFactory.create(customer=case.customer)
    ProductFactory.create()
    ShipmentFactory.create()
    PromiseFactory.create(case=case)
    GestureFactory.create(case=case)
    DisputeFactory.create()
    IncidentFactory.create()


@pytest.fixture(params=["admin_user", "agent"])
def role_headers(
    request: pytest.FixtureRequest, token_for: Any, some_data: None
) -> dict[str, str]:
    """An administrator sees everything; an agent meets the permission checks."""
    user: User = request.getfixturevalue(request.param)
    return {"Authorization": f"Bearer {token_for(user)}"}


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=3,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_operation_answers_as_documented(
    case: schemathesis.Case[Any], role_headers: dict[str, str]
) -> None:
    case.call_and_validate(headers=role_headers, excluded_checks=EXCLUDED_CHECKS)
