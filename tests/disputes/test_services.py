"""The dispute track's services against the database: opening, recording dates,
the deadlines they start (with events), the referral, proposals, the mediator's
details and every rule that refuses a change (writing nothing)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from amiable.accounts.models import User
from amiable.audit.models import AuditEvent
from amiable.cases.models import Case, CaseCost, CaseKind, CostKind
from amiable.cases.services import case_open
from amiable.conversations.models import Channel, Direction, Interaction
from amiable.core.errors import ValidationError
from amiable.disputes.errors import (
    DisputeVersionConflictError,
    ProposalAlreadyAnsweredError,
)
from amiable.disputes.models import (
    Dispute,
    DisputeOutcome,
    DisputeStage,
    LegalDeadline,
    Mediator,
    ProposalAuthor,
)
from amiable.disputes.services import (
    dispute_open,
    dispute_send_mediator_info,
    dispute_update,
    proposal_add,
    proposal_respond,
)
from amiable.events.models import DomainEvent
from tests.disputes.conftest import OnCommit, events, paris
from tests.factories import CaseFactory, CustomerFactory


def stored(dispute: Dispute) -> dict[str, tuple[dt.datetime, dt.datetime | None]]:
    return {
        row.rule_code: (timezone.localtime(row.due_at), row.met_at)
        for row in LegalDeadline.objects.filter(dispute=dispute)
    }


def refer(actor: User, dispute: Dispute, mediator: Mediator) -> Dispute:
    dispute_send_mediator_info(actor=actor, dispute=dispute, mediator=mediator)
    dispute.refresh_from_db()
    return dispute_update(
        actor=actor,
        dispute=dispute,
        expected_version=dispute.version,
        mediator=mediator,
        referred_at=paris(2026, 3, 20, 11),
    )


def test_opening_starts_the_complaint_deadlines(dispute: Dispute) -> None:
    assert dispute.stage == DisputeStage.AMICABLE
    assert stored(dispute) == {
        # 5 January 2027 is a Tuesday: no extension.
        "FR.MED.REFERRAL_WINDOW_1Y": (paris(2027, 1, 5, 23, 59, 59), None),
        "FR.MED.PRACTICE_NO_ANSWER_2M": (paris(2026, 3, 5, 23, 59, 59), None),
    }
    started = events("legal_deadline.started")
    # Soonest first.
    assert [(e["rule_code"], e["article"], e["case_id"]) for e in started] == [
        (
            "FR.MED.PRACTICE_NO_ANSWER_2M",
            "economie.gouv.fr (pratique) ; C. énergie R122-1",
            dispute.case_id,
        ),
        ("FR.MED.REFERRAL_WINDOW_1Y", "C. conso L612-2 4°", dispute.case_id),
    ]
    assert started[1]["due_at"] == "2027-01-05T22:59:59Z"


def test_opening_twice_returns_the_same_track(dispute: Dispute) -> None:
    again = dispute_open(actor=None, case=dispute.case)

    assert again.pk == dispute.pk
    assert Dispute.objects.count() == 1
    assert len(events("legal_deadline.started")) == 2


def test_only_a_dispute_case_has_a_track(db: None) -> None:
    case = CaseFactory.create(kind=CaseKind.COMPLAINT)

    with pytest.raises(ValidationError) as caught:
        dispute_open(actor=None, case=case)

    assert caught.value.fields == {"case_id": ["Ce dossier n'est pas un litige."]}
    assert not Dispute.objects.exists()


@pytest.mark.parametrize(
    ("channel", "written"), [(Channel.EMAIL, True), (Channel.PHONE, False)]
)
def test_a_dispute_case_opened_in_writing_records_the_complaint(
    agent: User,
    django_capture_on_commit_callbacks: OnCommit,
    channel: str,
    written: bool,
) -> None:
    customer = CustomerFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        case = case_open(
            actor=agent,
            customer=customer,
            subject="Litige sur la garantie",
            kind=CaseKind.DISPUTE,
            channel=channel,
            body_text="Je conteste votre refus.",
        )

    dispute = Dispute.objects.get(case=case)
    assert dispute.written_complaint_at == (case.opened_at if written else None)
    assert LegalDeadline.objects.filter(dispute=dispute).count() == (
        2 if written else 0
    )


def test_a_company_customer_is_not_a_consumer(db: None) -> None:
    case = CaseFactory.create(
        kind=CaseKind.DISPUTE, customer=CustomerFactory.create(kind="company")
    )

    assert dispute_open(actor=None, case=case).is_consumer is False


def test_a_referral_needs_the_mediators_details_first(
    agent: User, dispute: Dispute, mediator: Mediator
) -> None:
    audits = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as caught:
        dispute_update(
            actor=agent,
            dispute=dispute,
            expected_version=dispute.version,
            mediator=mediator,
            referred_at=paris(2026, 3, 20, 11),
        )

    assert caught.value.fields == {
        "mediator_info_sent_at": [
            "Envoyez d'abord au client les coordonnées du médiateur."
        ]
    }
    dispute.refresh_from_db()
    assert (dispute.referred_at, dispute.version) == (None, 1)
    assert AuditEvent.objects.count() == audits


def test_sending_the_mediators_details_replies_in_the_customers_language(
    agent: User,
    dispute: Dispute,
    mediator: Mediator,
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    customer = dispute.case.customer
    customer.preferred_language = "en"
    customer.save()

    with django_capture_on_commit_callbacks(execute=True):
        reply = dispute_send_mediator_info(
            actor=agent, dispute=dispute, mediator=mediator
        )

    assert (reply.channel, reply.direction) == (Channel.EMAIL, Direction.OUTBOUND)
    assert "free of charge" in reply.body_text  # English customer
    assert "60 rue La Boétie\n75008 Paris\nhttps://www.mediateurfevad.fr" in (
        reply.body_text
    )
    reply.refresh_from_db()
    assert reply.metadata["delivery"] == "sent"  # queued and delivered after commit
    dispute.refresh_from_db()
    assert dispute.mediator_info_sent_at == reply.occurred_at
    assert dispute.complaint_failed_at == reply.occurred_at
    info = LegalDeadline.objects.get(rule_code="FR.MED.INFO_AFTER_FAILED_COMPLAINT")
    assert info.met_at == reply.occurred_at
    assert [e["rule_code"] for e in events("legal_deadline.met")] == [
        "FR.MED.PRACTICE_NO_ANSWER_2M",
        "FR.MED.INFO_AFTER_FAILED_COMPLAINT",
    ]


def test_the_referral_moves_to_mediation_and_tells_the_other_apps(
    agent: User, dispute: Dispute, mediator: Mediator
) -> None:
    dispute = refer(agent, dispute, mediator)

    assert dispute.stage == DisputeStage.MEDIATION
    referred = events("dispute.mediation_referred")
    assert referred == [
        {
            "case_id": dispute.case_id,
            "customer_id": dispute.case.customer_id,
            "mediator": "Médiateur du e-commerce (FEVAD)",
            "referred_at": "2026-03-20T10:00:00Z",
            "file_complete_at": None,
        }
    ]
    deadlines = stored(dispute)
    assert deadlines["FR.MED.INADMISSIBILITY_3W"] == (
        paris(2026, 4, 10, 23, 59, 59),
        None,
    )
    assert deadlines["FR.MED.REFERRAL_WINDOW_1Y"][1] == paris(2026, 3, 20, 11)
    fee = CaseCost.objects.get(case=dispute.case)
    assert (fee.kind, fee.amount, fee.currency) == (
        CostKind.MEDIATOR_FEES,
        Decimal("150.00"),
        "EUR",
    )


def test_later_changes_neither_refer_again_nor_bill_twice(
    agent: User, dispute: Dispute, mediator: Mediator
) -> None:
    dispute = refer(agent, dispute, mediator)

    dispute = dispute_update(
        actor=agent,
        dispute=dispute,
        expected_version=dispute.version,
        file_complete_at=paris(2026, 3, 28, 12),
    )

    assert len(events("dispute.mediation_referred")) == 1
    assert CaseCost.objects.filter(case=dispute.case).count() == 1
    # The day before the clocks go forward; 90 days later is 26 June.
    assert stored(dispute)["FR.MED.OUTCOME_90D"] == (
        paris(2026, 6, 26, 23, 59, 59),
        None,
    )
    assert stored(dispute)["FR.MED.INADMISSIBILITY_3W"][1] == paris(2026, 3, 28, 12)


def test_the_mediator_extends_the_90_days(
    agent: User, dispute: Dispute, mediator: Mediator
) -> None:
    dispute = refer(agent, dispute, mediator)
    dispute = dispute_update(
        actor=agent,
        dispute=dispute,
        expected_version=dispute.version,
        file_complete_at=paris(2026, 3, 28, 12),
    )

    dispute = dispute_update(
        actor=agent,
        dispute=dispute,
        expected_version=dispute.version,
        outcome_extended_to=dt.date(2026, 8, 31),
        extension_reason="Expertise du canapé demandée",
    )

    assert stored(dispute)["FR.MED.OUTCOME_90D"][0] == paris(2026, 8, 31, 23, 59, 59)
    changed = events("legal_deadline.changed")
    assert [
        (e["rule_code"], e["reason"], e["previous_due_at"], e["due_at"])
        for e in changed
    ] == [
        (
            "FR.MED.OUTCOME_90D",
            "extended",
            "2026-06-26T21:59:59Z",
            "2026-08-31T21:59:59Z",
        )
    ]


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        (
            {"outcome_extended_to": dt.date(2026, 6, 1), "extension_reason": "x"},
            {"outcome_extended_to": ["Une prolongation finit après le 26/06/2026."]},
        ),
        (
            {"outcome_extended_to": dt.date(2026, 9, 1)},
            {"extension_reason": ["Indiquez pourquoi le médiateur a prolongé."]},
        ),
        (
            {"outcome": DisputeOutcome.MEDIATION_FAILED},
            {"outcome_at": ["Quand s'est-il terminé ?"]},
        ),
        (
            {"file_complete_at": paris(2026, 3, 1, 9)},
            {"file_complete_at": ["Avant la saisine."]},
        ),
    ],
)
def test_inconsistent_dates_are_refused_by_field(
    agent: User,
    dispute: Dispute,
    mediator: Mediator,
    changes: dict[str, object],
    fields: dict[str, list[str]],
) -> None:
    dispute = refer(agent, dispute, mediator)
    dispute = dispute_update(
        actor=agent,
        dispute=dispute,
        expected_version=dispute.version,
        file_complete_at=paris(2026, 3, 28, 12),
    )
    version = dispute.version

    with pytest.raises(ValidationError) as caught:
        dispute_update(
            actor=agent, dispute=dispute, expected_version=version, **changes
        )

    assert caught.value.fields == fields
    dispute.refresh_from_db()
    assert dispute.version == version


def test_a_date_in_the_future_is_refused(agent: User, dispute: Dispute) -> None:
    with pytest.raises(ValidationError) as caught:
        dispute_update(
            actor=agent,
            dispute=dispute,
            expected_version=1,
            complaint_failed_at=timezone.now() + dt.timedelta(days=2),
        )

    assert caught.value.fields == {
        "complaint_failed_at": ["Cette date est dans le futur."]
    }


def test_a_stale_version_is_a_conflict(agent: User, dispute: Dispute) -> None:
    dispute_update(
        actor=agent,
        dispute=dispute,
        expected_version=1,
        complaint_failed_at=paris(2026, 2, 1, 10),
    )

    with pytest.raises(DisputeVersionConflictError) as caught:
        dispute_update(
            actor=agent,
            dispute=dispute,
            expected_version=1,
            outcome_summary="Tentative",
        )

    assert caught.value.extra == {"current_version": 2}


def test_correcting_and_removing_the_complaint_date_moves_its_deadlines(
    agent: User, dispute: Dispute
) -> None:
    dispute = dispute_update(
        actor=agent,
        dispute=dispute,
        expected_version=1,
        written_complaint_at=paris(2025, 12, 27, 10),
    )
    assert stored(dispute)["FR.MED.REFERRAL_WINDOW_1Y"][0] == paris(
        2026, 12, 28, 23, 59, 59
    )

    dispute_update(
        actor=agent, dispute=dispute, expected_version=2, written_complaint_at=None
    )

    assert stored(dispute) == {}
    assert [
        (e["rule_code"], e["reason"]) for e in events("legal_deadline.changed")
    ] == [
        ("FR.MED.PRACTICE_NO_ANSWER_2M", "corrected"),
        ("FR.MED.REFERRAL_WINDOW_1Y", "corrected"),
        ("FR.MED.PRACTICE_NO_ANSWER_2M", "cancelled"),
        ("FR.MED.REFERRAL_WINDOW_1Y", "cancelled"),
    ]


def test_an_unchanged_save_writes_nothing(agent: User, dispute: Dispute) -> None:
    before = DomainEvent.objects.count(), AuditEvent.objects.count()

    same = dispute_update(
        actor=agent,
        dispute=dispute,
        expected_version=1,
        written_complaint_at=dispute.written_complaint_at,
    )

    assert same.version == 1
    assert (DomainEvent.objects.count(), AuditEvent.objects.count()) == before


def test_the_mediators_proposal_and_its_acceptance_end_the_mediation(
    agent: User, dispute: Dispute, mediator: Mediator
) -> None:
    dispute = refer(agent, dispute, mediator)
    dispute = dispute_update(
        actor=agent,
        dispute=dispute,
        expected_version=dispute.version,
        file_complete_at=paris(2026, 3, 28, 12),
        mediation_agreed_at=paris(2026, 3, 30, 9),
    )
    proposal = proposal_add(
        actor=agent,
        dispute=dispute,
        made_by=ProposalAuthor.MEDIATOR,
        description="Remboursement de 60 % du canapé",
        proposed_at=paris(2026, 5, 12, 15),
        respond_by=dt.date(2026, 6, 1),
    )
    assert stored(dispute)["FR.MED.PROPOSAL_DEADLINE"] == (
        paris(2026, 6, 1, 23, 59, 59),
        None,
    )

    proposal_respond(
        actor=agent,
        proposal=proposal,
        is_accepted=True,
        responded_at=paris(2026, 5, 20, 10),
    )

    dispute.refresh_from_db()
    assert (dispute.outcome, dispute.stage) == (
        DisputeOutcome.MEDIATION_AGREEMENT,
        DisputeStage.CLOSED,
    )
    deadlines = stored(dispute)
    assert deadlines["FR.MED.PROPOSAL_DEADLINE"][1] == paris(2026, 5, 20, 10)
    assert deadlines["FR.MED.OUTCOME_90D"][1] == paris(2026, 5, 20, 10)
    # C. civ. 2238: at least six months from the end of the mediation.
    assert deadlines["FR.CIV.PRESCRIPTION_SUSPENSION"] == (
        paris(2026, 11, 20, 23, 59, 59),
        None,
    )
    with pytest.raises(ProposalAlreadyAnsweredError):
        proposal_respond(
            actor=agent,
            proposal=proposal,
            is_accepted=False,
            responded_at=paris(2026, 5, 21, 10),
        )


def test_our_accepted_proposal_settles_the_dispute(
    agent: User, dispute: Dispute
) -> None:
    proposal = proposal_add(
        actor=agent,
        dispute=dispute,
        made_by=ProposalAuthor.COMPANY,
        description="Avoir de 200 €",
        proposed_at=paris(2026, 1, 20, 10),
        amount=None,
    )
    assert stored(dispute)["FR.MED.PRACTICE_NO_ANSWER_2M"][1] == paris(2026, 1, 20, 10)

    proposal_respond(
        actor=agent,
        proposal=proposal,
        is_accepted=True,
        responded_at=paris(2026, 1, 22, 10),
    )

    dispute.refresh_from_db()
    assert (dispute.outcome, dispute.outcome_at) == (
        DisputeOutcome.SETTLED,
        paris(2026, 1, 22, 10),
    )


def test_a_mediator_proposal_needs_a_referral_and_a_date(
    agent: User, dispute: Dispute
) -> None:
    with pytest.raises(ValidationError) as caught:
        proposal_add(
            actor=agent,
            dispute=dispute,
            made_by=ProposalAuthor.MEDIATOR,
            description="Remboursement partiel",
            proposed_at=paris(2026, 2, 1, 10),
        )

    assert caught.value.fields == {
        "made_by": ["Le litige n'a pas été soumis à un médiateur."],
        "respond_by": ["Le médiateur fixe une date de réponse."],
    }


def test_a_dispute_case_without_an_email_still_records_the_details_sent(
    agent: User, mediator: Mediator, db: None
) -> None:
    case: Case = CaseFactory.create(kind=CaseKind.DISPUTE, team=agent.team)
    dispute = dispute_open(
        actor=None, case=case, written_complaint_at=paris(2026, 1, 5, 9)
    )

    reply = dispute_send_mediator_info(actor=agent, dispute=dispute, mediator=mediator)

    assert Interaction.objects.get(pk=reply.pk).case_id == case.pk
