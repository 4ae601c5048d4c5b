"""The demo promises: every state, a renegotiation, a carrier exception that
warned its customer, the quarantine; once."""

from __future__ import annotations

import pytest

from amiable.cli import main
from amiable.commerce.models import QuarantinedTrackingEvent, TrackingEvent
from amiable.promises.models import Promise, PromiseState, PromiseWarning


@pytest.mark.django_db
def test_the_demo_has_promises_in_every_state_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["demo", "--scale", "0.1", "--quiet"])
    counts = Promise.objects.count()

    main(["demo", "--scale", "0.1", "--quiet"])

    assert set(Promise.objects.values_list("state", flat=True)) == set(
        PromiseState.values
    )
    assert Promise.objects.count() == counts
    renegotiated = Promise.objects.get(state=PromiseState.RENEGOTIATED)
    assert renegotiated.original_due_at < renegotiated.due_at
    assert TrackingEvent.objects.filter(status="exception").exists()
    assert PromiseWarning.objects.count() == 1
    assert QuarantinedTrackingEvent.objects.count() == 1
    assert Promise.objects.filter(rule_code="FR.WITHDRAWAL.REFUND_14D").count() == 1
    out = capsys.readouterr().out
    assert "/portal/" not in out  # no link (a credential) is printed
