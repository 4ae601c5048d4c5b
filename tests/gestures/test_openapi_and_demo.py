"""The gestures part of the OpenAPI document, and the gestures demo data."""

from __future__ import annotations

import pytest
from django.test import Client

from amiable.demo.loader import demo_load
from amiable.gestures.models import (
    ApprovalStep,
    AuthorityLimit,
    Budget,
    Gesture,
    GestureStatus,
    GestureType,
)


def test_every_gestures_operation_documents_its_errors(db: None) -> None:
    document = Client().get("/api/v1/openapi.json").json()

    operations = {
        (path, method): operation
        for path, item in document["paths"].items()
        if path.startswith("/api/v1/gestures")
        for method, operation in item.items()
    }
    assert len(operations) == 26
    for operation in operations.values():
        assert {"401", "403", "404", "422"} <= set(operation["responses"])
        assert operation["security"]
    export = operations[("/api/v1/gestures/export.csv", "get")]
    assert list(export["responses"]["200"]["content"]) == ["text/csv"]
    value = document["components"]["schemas"]["GestureOut"]["properties"]["value"]
    assert value["type"] == "string"


@pytest.mark.django_db
def test_the_demo_has_a_catalogue_limits_budgets_gestures_and_a_pending_approval() -> (
    None
):
    demo_load(scale=0.1, progress=False)
    first = (
        GestureType.objects.count(),
        AuthorityLimit.objects.count(),
        Budget.objects.count(),
        sorted(Gesture.objects.values_list("status", flat=True)),
        ApprovalStep.objects.filter(decision="pending").count(),
    )

    demo_load(scale=0.1, progress=False)

    assert first == (
        9,
        27,
        8,
        [GestureStatus.APPLIED] * 4 + [GestureStatus.PENDING],
        1,
    )
    assert Gesture.objects.count() == 5
    assert AuthorityLimit.objects.count() == 27
