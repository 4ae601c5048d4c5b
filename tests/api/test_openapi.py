"""The OpenAPI 3.1 document and the interactive docs."""

from __future__ import annotations

from typing import Any

from django.test import Client

EXPECTED_PATHS = {
    "/api/v1/me",
    "/api/v1/me/tokens",
    "/api/v1/me/tokens/{token_id}",
    "/api/v1/customers",
    "/api/v1/customers/{customer_id}",
    "/api/v1/customers/{customer_id}/identities",
    "/api/v1/customers/{customer_id}/addresses",
    "/api/v1/customers/{customer_id}/consents",
    "/api/v1/customers/{customer_id}/facts",
    "/api/v1/customers/merges",
    "/api/v1/customers/merges/{merge_id}/undo",
    "/api/v1/products",
    "/api/v1/products/{product_id}",
    "/api/v1/orders",
    "/api/v1/orders/{order_id}",
    "/api/v1/orders/{order_id}/shipments",
    "/api/v1/shipments/{shipment_id}",
    "/api/v1/shipments/{shipment_id}/tracking-events",
    "/api/v1/interactions",
    "/api/v1/interactions/{interaction_id}",
    "/api/v1/interactions/attachments/{attachment_id}",
    "/api/v1/outbox",
    "/api/v1/outbox/{outbox_id}/ack",
    "/api/v1/cases",
    "/api/v1/cases/bulk",
    "/api/v1/cases/settings/custom-fields",
    "/api/v1/cases/settings/custom-fields/{field_id}",
    "/api/v1/cases/merges/{case_merge_id}/undo",
    "/api/v1/cases/{case_id}/merge",
    "/api/v1/cases/{case_id}/split",
    "/api/v1/cases/{case_id}",
    "/api/v1/cases/{case_id}/assign",
    "/api/v1/cases/{case_id}/status",
    "/api/v1/cases/{case_id}/replies",
    "/api/v1/cases/{case_id}/notes",
    "/api/v1/cases/{case_id}/calls",
    "/api/v1/cases/{case_id}/messages",
    "/api/v1/cases/{case_id}/orders",
    "/api/v1/cases/{case_id}/resolve",
    "/api/v1/cases/{case_id}/sla",
    "/api/v1/cases/{case_id}/escalations",
    "/api/v1/cases/taxonomy/categories",
    "/api/v1/cases/taxonomy/root-causes",
    "/api/v1/cases/sla/policies",
    "/api/v1/cases/sla/policies/{policy_id}",
    "/api/v1/cases/taxonomy/categories/{entry_id}",
    "/api/v1/cases/taxonomy/root-causes/{entry_id}",
    "/api/v1/cases/routing/rules",
    "/api/v1/cases/routing/rules/{rule_id}",
    "/api/v1/cases/routing/teams",
    "/api/v1/cases/routing/teams/{team_id}",
    "/api/v1/cases/queues/supervisor",
    "/api/v1/cases/queues/quality",
    "/api/v1/cases/queues/workload",
    "/api/v1/search",
    "/api/v1/sla/calendars",
    "/api/v1/sla/calendars/{calendar_id}",
    "/api/v1/feedback/surveys",
    "/api/v1/feedback/responses",
    "/api/v1/feedback/results",
    "/api/v1/gestures",
    "/api/v1/gestures/approvals",
    "/api/v1/gestures/budgets",
    "/api/v1/gestures/campaigns",
    "/api/v1/gestures/campaigns/{campaign_id}",
    "/api/v1/gestures/campaigns/{campaign_id}/approve",
    "/api/v1/gestures/campaigns/{campaign_id}/reject",
    "/api/v1/gestures/consistency",
    "/api/v1/gestures/export.csv",
    "/api/v1/gestures/limits",
    "/api/v1/gestures/promotions/allowed",
    "/api/v1/gestures/reasons",
    "/api/v1/gestures/reports/spend",
    "/api/v1/gestures/settings",
    "/api/v1/gestures/types",
    "/api/v1/gestures/types/{type_id}",
    "/api/v1/gestures/{gesture_id}",
    "/api/v1/gestures/{gesture_id}/approve",
    "/api/v1/gestures/{gesture_id}/escalate",
    "/api/v1/gestures/{gesture_id}/reject",
    "/api/v1/cases/{case_id}/costs",
    "/api/v1/cases/{case_id}/dispute",
    "/api/v1/costs/report",
    "/api/v1/disputes",
    "/api/v1/disputes/{dispute_id}",
    "/api/v1/disputes/{dispute_id}/mediator-info",
    "/api/v1/disputes/{dispute_id}/proposals",
    "/api/v1/disputes/{dispute_id}/proposals/{proposal_id}/answer",
    "/api/v1/legal-deadlines",
    "/api/v1/mediators",
    "/api/v1/incidents",
    "/api/v1/incidents/{incident_id}",
    "/api/v1/incidents/{incident_id}/actions/{action_id}",
    "/api/v1/incidents/{incident_id}/cases",
    "/api/v1/incidents/{incident_id}/cases/{case_id}",
    "/api/v1/incidents/{incident_id}/replies",
    "/api/v1/incidents/{incident_id}/resolve",
    "/api/v1/problems",
    "/api/v1/problems/{problem_id}",
    "/api/v1/problems/{problem_id}/cases",
    "/api/v1/quality/confirmations",
    "/api/v1/quality/fcr",
    "/api/v1/tracking/webhook",
    "/api/v1/tracking/imports",
    "/api/v1/tracking/imports/{job_id}",
    "/api/v1/tracking/quarantine",
    "/api/v1/promises",
    "/api/v1/promises/suggestion",
    "/api/v1/promises/measures/kept-rate",
    "/api/v1/promises/measures/expectation-gap",
    "/api/v1/promises/{promise_id}",
    "/api/v1/promises/{promise_id}/renegotiate",
    "/api/v1/promises/{promise_id}/keep",
    "/api/v1/promises/{promise_id}/cancel",
    "/api/v1/inbound/hooks/{source}/email",
    "/api/v1/inbound/hooks/{source}/sms",
    "/api/v1/inbound/hooks/{source}/sms/form",
    "/api/v1/inbound/hooks/{source}/social",
    "/api/v1/inbound/hooks/{source}/review",
    "/api/v1/inbound/hooks/{source}/webform",
    "/api/v1/inbound/hooks/{source}/chat",
    "/api/v1/inbound/emails",
    "/api/v1/inbound/imports",
    "/api/v1/inbound/imports/{job_id}",
    "/api/v1/inbound/emails/{email_id}/replay",
    "/api/v1/macros",
    "/api/v1/macros/{macro_id}",
    "/api/v1/macros/{macro_id}/apply",
    "/api/v1/inbound/reviews",
    "/api/v1/inbound/reviews/{review_id}/draft",
    "/api/v1/inbound/reviews/{review_id}/publish",
    "/api/v1/privacy/requests",
    "/api/v1/privacy/requests/{data_request_id}",
    "/api/v1/privacy/requests/{data_request_id}/archive",
}


def test_openapi_document_lists_every_resource(db: None) -> None:
    response = Client().get("/api/v1/openapi.json")

    document = response.json()
    assert response.status_code == 200
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) == EXPECTED_PATHS
    assert set(document["components"]["securitySchemes"]) == {
        "BearerTokenAuth",
        "SessionCsrfAuth",
        "WebhookSignature",
    }


def test_money_is_a_string_in_the_schema(db: None) -> None:
    document = Client().get("/api/v1/openapi.json").json()

    price = document["components"]["schemas"]["ProductOut"]["properties"]["price"]
    assert price["type"] == "string"


def test_interactive_docs_page(db: None) -> None:
    response = Client().get("/api/v1/docs")

    assert response.status_code == 200
    assert b"openapi.json" in response.content


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    ]


def test_every_operation_is_named_summarised_and_documents_its_errors(
    db: None,
) -> None:
    document = Client().get("/api/v1/openapi.json").json()

    gaps = {}
    for method, path, operation in _operations(document):
        expected = {"422"}
        if operation.get("security"):
            expected |= {"401", "403"}
        if any(parameter["in"] == "path" for parameter in operation["parameters"]):
            expected.add("404")
        missing = sorted(expected - set(operation["responses"]))
        if not operation.get("operationId") or not operation.get("summary"):
            missing.append("operationId/summary")
        if missing:
            gaps[f"{method} {path}"] = missing
    assert gaps == {}


def test_operation_ids_are_unique(db: None) -> None:
    document = Client().get("/api/v1/openapi.json").json()

    ids = [operation["operationId"] for _, _, operation in _operations(document)]
    assert len(ids) == len(set(ids))
