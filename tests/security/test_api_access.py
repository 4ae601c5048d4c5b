"""Every API operation of the OpenAPI document, called as every role, against the
access rule declared next to it (``@access`` in its router, ``x-access`` in the
document; ``amiable.core.access``).

The matrix is generated from the document, so a new operation is in it the day it is
added, and an operation without a declared rule fails the suite. For every operation
and every role (anonymous, a customer signed in to the portal, an agent, an agent of
another team, a supervisor, the quality manager, an administrator), on the demo data
with real ids of objects of the agent's team and a body built from the operation's
request schema (``bodies.py``: refusals are the permission check's, not the
validation's):
- a role the rule allows is not refused (401/403) and its body passed validation;
- a role the rule refuses gets 401, 403 or 404 and nothing is written; an agent of
  another team is refused on team-scoped operations, and everybody without a
  signature on signed ones;
- no answer is a server error, and a GET never writes.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from amiable.api.instance import api
from amiable.core.errors import ErrorCode
from tests.security.access_scene import (
    ROLE_LOGINS,
    Scene,
    writes_fingerprint,
)
from tests.security.bodies import BodyBuilder

REFUSED = {401, 403, 404}
CSV = (
    b"carrier,tracking_number,event_id,status,occurred_at\n"
    b"DPD,MATRIX1,m-1,in_transit,2026-03-02T10:00:00Z\n"
)
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


DOCUMENT = api.get_openapi_schema()
OPERATIONS = sorted(
    (method, path) for path, item in DOCUMENT["paths"].items() for method in item
)


def _url(path: str, scene: Scene) -> str:
    url = path
    for name, value in scene.path_values.items():
        url = url.replace("{" + name + "}", value)
    assert "{" not in url, f"no value for a path parameter of {path}"
    return url


def test_the_sweep_covers_every_operation() -> None:
    assert len(OPERATIONS) >= 150
    assert set(TEAM_READS) <= {path for _method, path in OPERATIONS}


def test_every_operation_declares_its_access() -> None:
    undeclared = [
        f"{method.upper()} {path}"
        for method, path in OPERATIONS
        if "x-access" not in DOCUMENT["paths"][path][method]
    ]

    assert undeclared == [], "declare @access(...) next to these operations"


def _payload(
    scene: Scene, method: str, path: str
) -> tuple[str, dict[str, object]] | None:
    operation = DOCUMENT["paths"][path][method]
    built = BodyBuilder(DOCUMENT, scene.path_values).body(operation)
    if built is None or built[0] != "multipart/form-data":
        return built
    files = {
        key: SimpleUploadedFile("matrix.csv", CSV, content_type="text/csv")
        for key, schema in operation["requestBody"]["content"][built[0]]["schema"][
            "properties"
        ].items()
        if schema.get("format") == "binary"
    }
    return built[0], {**built[1], **files}


def _call(
    scene: Scene, role: str, method: str, url: str, payload: tuple[str, Any] | None
) -> tuple[int, str, bool]:
    """(status, error code, whether it wrote), rolled back after."""
    client = scene.clients[role]
    before = writes_fingerprint()
    with transaction.atomic():
        if payload is None:
            response = getattr(client, method)(url)
        elif payload[0] == "multipart/form-data":
            response = getattr(client, method)(url, data=payload[1])
        else:
            response = getattr(client, method)(
                url, data=json.dumps(payload[1]), content_type=payload[0]
            )
        is_json = response.get("Content-Type", "").startswith("application/json")
        body = response.json() if is_json else None
        code = str(body.get("code", "")) if isinstance(body, dict) else ""
        fields = body.get("fields", {}) if isinstance(body, dict) else {}
        if code == ErrorCode.VALIDATION and any(
            field.startswith("body") for field in fields
        ):
            code = "schema_validation"
        wrote = writes_fingerprint() != before
        transaction.set_rollback(True)
    return response.status_code, code, wrote


def _expected_refused(declared: dict[str, Any], role: str) -> bool:
    if declared["signed"]:
        return True
    if role == "other_agent":
        return "agent" not in declared["allowed"] or declared["team_scoped"]
    return role not in declared["allowed"]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_every_role_on_every_operation(scene: Scene, method: str, path: str) -> None:
    declared = DOCUMENT["paths"][path][method]["x-access"]
    url = _url(path, scene)
    payload = _payload(scene, method, path)
    outcomes = {role: _call(scene, role, method, url, payload) for role in ROLE_LOGINS}

    wrong = {
        role: outcome
        for role, outcome in outcomes.items()
        if _wrong(outcome, method, refused=_expected_refused(declared, role))
    }
    assert wrong == {}, (declared, outcomes)


def _wrong(outcome: tuple[int, str, bool], method: str, *, refused: bool) -> bool:
    status, code, wrote = outcome
    if status >= 500 or (method == "get" and wrote):
        return True
    if refused:
        return status not in REFUSED or wrote
    return status in {401, 403} or code == "schema_validation"


@pytest.mark.django_db
@pytest.mark.parametrize("path", TEAM_READS)
def test_an_agent_of_another_team_never_reads_the_case(scene: Scene, path: str) -> None:
    url = _url(path, scene)

    agent = _call(scene, "agent", "get", url, None)
    other = _call(scene, "other_agent", "get", url, None)

    assert (agent[0], other[0], other[1]) == (200, 404, "not_found")
