"""The demo data of the dispute track and the quality app, loaded with the rest."""

from __future__ import annotations

import pytest

from amiable.cli import main
from amiable.disputes.models import Dispute, DisputeStage, LegalDeadline
from amiable.quality.models import Incident, Problem, ResolutionConfirmation


def _counts() -> tuple[int, int, int, int, int]:
    return (
        Dispute.objects.filter(stage=DisputeStage.MEDIATION).count(),
        LegalDeadline.objects.count(),
        Problem.objects.count(),
        Incident.objects.count(),
        ResolutionConfirmation.objects.count(),
    )


@pytest.mark.django_db
def test_the_demo_has_a_referred_dispute_a_problem_and_an_incident() -> None:
    main(["demo", "--scale", "0.1", "--quiet"])

    dispute = Dispute.objects.get(stage=DisputeStage.MEDIATION)
    assert dispute.mediator is not None
    assert set(
        LegalDeadline.objects.filter(dispute=dispute).values_list(
            "rule_code", flat=True
        )
    ) == {
        "FR.MED.REFERRAL_WINDOW_1Y",
        "FR.MED.PRACTICE_NO_ANSWER_2M",
        "FR.MED.INFO_AFTER_FAILED_COMPLAINT",
        "FR.MED.INADMISSIBILITY_3W",
        "FR.MED.OUTCOME_90D",
    }
    assert dispute.case.costs.count() == 3  # letter, postage, mediator's fee
    problem = Problem.objects.get()
    assert problem.links.count() == 5
    assert Incident.objects.get().links.count() == 4
    assert ResolutionConfirmation.objects.count() == 6
    before = _counts()

    main(["demo", "--scale", "0.1", "--quiet"])

    assert _counts() == before
