"""Demo data of the dispute track and the quality app: a consumer mediator, a
dispute referred to it (with its legal deadlines and costs), a recurring root cause
that opened a problem, an incident grouping cases, and answered confirmations.

Idempotent like the rest of the demo: each part is skipped when its marker exists.
The dispute, the problem and the incident go through their services (audited, with
their events); root causes on demo cases and the confirmation answers are written
like the rest of the bulk demo data.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from amiable.accounts.models import Role, User
from amiable.cases.models import Case, CaseKind, CaseStatus, CostKind, RootCause
from amiable.cases.services import case_cost_add
from amiable.core.money import Money
from amiable.demo.staff import TEAM_DISPUTES, TEAM_SERVICE, DemoStaff
from amiable.disputes.models import Dispute, Mediator, ProposalAuthor
from amiable.disputes.services import (
    dispute_open,
    dispute_update,
    proposal_add,
    proposal_respond,
)
from amiable.quality.models import (
    ConfirmationStatus,
    FirstContact,
    Incident,
    IncidentKind,
    Problem,
    ResolutionConfirmation,
)
from amiable.quality.services import (
    incident_create,
    incident_link_cases,
    problem_open,
    quality_settings_get,
    recurrence_check,
)

MEDIATOR_NAME = "Médiateur du e-commerce de la FEVAD"
INCIDENT_TITLE = "Retard de livraison — lot Colissimo du dépôt de Lyon"
# (code, French name, English name, family code or None)
# The causes this demo needs, with the codes and names of the resolution demo's
# taxonomy (demo/service_levels.py, loaded first): found there, created only when
# this demo runs alone.
ROOT_CAUSES = (
    ("logistics", "Logistique", "Logistics", None),
    ("carrier-delay", "Retard du transporteur", "Carrier delay", "logistics"),
    ("packaging", "Emballage insuffisant", "Poor packaging", "logistics"),
    ("process", "Processus interne", "Internal process", None),
    ("payment-incident", "Incident de paiement", "Payment incident", "process"),
)
PROBLEM_CAUSE = "carrier-delay"
CONFIRMATIONS = (
    (True, FirstContact.YES, "Parfait, merci pour votre réactivité."),
    (True, FirstContact.NO, ""),
    (True, FirstContact.YES, ""),
    (False, "", "Toujours pas remboursé."),
    (True, FirstContact.UNKNOWN, ""),
    (True, FirstContact.YES, "Very quick, thank you."),
)


def _user(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).first()


def _root_causes() -> dict[str, RootCause]:
    found = {cause.code: cause for cause in RootCause.objects.all()}
    for code, name_fr, name_en, family in ROOT_CAUSES:
        if code not in found:
            found[code] = RootCause.objects.create(
                code=code,
                name_fr=name_fr,
                name_en=name_en,
                parent=found.get(family) if family else None,
            )
    return found


def _mediator() -> Mediator:
    mediator, _created = Mediator.objects.get_or_create(
        name=MEDIATOR_NAME,
        defaults={
            "website": "https://www.mediateurfevad.fr",
            "postal_address": "60 rue La Boétie\n75008 Paris",
            "sector": "Vente à distance",
            "fee_amount": Decimal("120.00"),
        },
    )
    return mediator


def _dispute(staff: DemoStaff, mediator: Mediator, now: dt.datetime) -> None:
    if Dispute.objects.filter(referred_at__isnull=False).exists():
        return
    case = (
        Case.objects.filter(
            kind=CaseKind.DISPUTE, opened_at__lte=now - dt.timedelta(days=40)
        )
        .select_related("customer")
        .order_by("-opened_at", "id")
        .first()
    )
    agents = staff.agents_by_team.get(TEAM_DISPUTES) or []
    actor = agents[0] if agents else _user("admin")
    if case is None or actor is None:
        return
    dispute = dispute_open(actor=actor, case=case, written_complaint_at=case.opened_at)
    span = now - case.opened_at

    def at(share: float) -> dt.datetime:
        return case.opened_at + span * share

    proposal = proposal_add(
        actor=actor,
        dispute=dispute,
        made_by=ProposalAuthor.COMPANY,
        description="Avoir de 80 € sur la prochaine commande",
        amount=Money(Decimal("80.00"), "EUR"),
        proposed_at=at(0.1),
    )
    proposal_respond(
        actor=actor, proposal=proposal, is_accepted=False, responded_at=at(0.15)
    )
    dispute.refresh_from_db()
    dispute = dispute_update(
        actor=actor,
        dispute=dispute,
        expected_version=dispute.version,
        complaint_failed_at=at(0.18),
        mediator_info_sent_at=at(0.2),
    )
    dispute = dispute_update(
        actor=actor,
        dispute=dispute,
        expected_version=dispute.version,
        mediator=mediator,
        referred_at=at(0.4),
        file_complete_at=at(0.5),
        mediation_agreed_at=at(0.55),
    )
    for kind, amount, text, share in (
        (CostKind.REGISTERED_LETTER, "7.35", "Lettre recommandée avec AR", 0.19),
        (CostKind.POSTAGE, "4.90", "Retour du produit", 0.3),
    ):
        case_cost_add(
            actor=actor,
            case=case,
            kind=kind,
            cost=Money(Decimal(amount), "EUR"),
            description=text,
            incurred_at=at(share),
            source=f"demo:{kind}:{case.pk}",
        )


def _window(cases: list[Case], size: int, days: int) -> list[Case]:
    for start in range(len(cases) - size + 1):
        chunk = cases[start : start + size]
        if chunk[-1].opened_at - chunk[0].opened_at <= dt.timedelta(days=days):
            return chunk
    return []


def _problem(causes: dict[str, RootCause], now: dt.datetime) -> None:
    """Five resolved complaints blamed on the carrier: the recurrence check opens
    their problem when they fall within its window; demo dates are spread over a
    year and a half, so otherwise the quality manager opens it by hand."""
    cause = causes[PROBLEM_CAUSE]
    manager = User.objects.filter(role=Role.QUALITY_MANAGER, is_active=True).first()
    if manager is None or Problem.objects.filter(root_cause=cause).exists():
        return
    config = quality_settings_get()
    resolved = list(
        Case.objects.filter(
            Q(root_cause__isnull=True) | Q(root_cause=cause),
            kind=CaseKind.COMPLAINT,
            status__in=(CaseStatus.RESOLVED, CaseStatus.CLOSED),
        ).order_by("opened_at", "id")
    )
    chosen = (
        _window(resolved, config.recurrence_threshold, config.recurrence_window_days)
        or resolved[-config.recurrence_threshold :]
    )
    if len(chosen) < config.recurrence_threshold:
        return
    # The root cause the agents gave when resolving these complaints.
    Case.objects.filter(pk__in=[case.pk for case in chosen]).update(root_cause=cause)
    for case in chosen:
        case.root_cause = cause
    if recurrence_check(root_cause_id=cause.pk, at=now) is None:
        problem_open(actor=manager, root_cause=cause, cases=chosen, at=now)


def _incident(now: dt.datetime) -> None:
    supervisor = User.objects.filter(role=Role.SUPERVISOR, is_active=True).first()
    if supervisor is None or Incident.objects.filter(title=INCIDENT_TITLE).exists():
        return
    incident = incident_create(
        actor=supervisor,
        title=INCIDENT_TITLE,
        kind=IncidentKind.SHIPMENT_DELAY,
        description="Le dépôt de Lyon a bloqué 1 200 colis pendant trois jours.",
        started_at=now - dt.timedelta(days=3),
    )
    cases = list(
        Case.objects.filter(
            team__name=TEAM_SERVICE,
            status__in=(CaseStatus.OPEN, CaseStatus.NEW, CaseStatus.WAITING_CUSTOMER),
            incident_link__isnull=True,
        ).order_by("-opened_at", "id")[:4]
    )
    if cases:
        incident_link_cases(actor=supervisor, incident=incident, cases=cases)


def _confirmations(now: dt.datetime) -> None:
    if ResolutionConfirmation.objects.exists():
        return
    cases = Case.objects.filter(
        status=CaseStatus.RESOLVED, resolved_at__isnull=False
    ).order_by("-resolved_at", "id")[: len(CONFIRMATIONS)]
    rows = []
    for case, (is_solved, first_contact, comment) in zip(
        cases, CONFIRMATIONS, strict=False
    ):
        resolved_at = case.resolved_at or now
        rows.append(
            ResolutionConfirmation(
                public_key=secrets.token_urlsafe(18),
                case=case,
                customer_id=case.customer_id,
                resolved_at=resolved_at,
                language="fr",
                status=ConfirmationStatus.ANSWERED,
                expires_at=resolved_at + dt.timedelta(days=14),
                is_solved=is_solved,
                first_contact=first_contact,
                comment=comment,
                answered_at=min(now, resolved_at + dt.timedelta(hours=20)),
            )
        )
    ResolutionConfirmation.objects.bulk_create(rows)


def disputes_quality_demo_ensure(*, staff: DemoStaff, now: dt.datetime) -> None:
    """Add the dispute, problem, incident and confirmation demo data if missing."""
    with transaction.atomic():
        causes = _root_causes()
        mediator = _mediator()
    with transaction.atomic():
        _dispute(staff, mediator, now)
    with transaction.atomic():
        _problem(causes, now)
    with transaction.atomic():
        _incident(now)
    with transaction.atomic():
        _confirmations(now)
