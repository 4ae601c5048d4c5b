"""Demo data of case resolution: the category and root-cause taxonomies, one
business calendar per team (Paris with a lunch break, Metz on the Alsace-Moselle
holidays, a Saturday desk), SLA policies, routing by skills, SLA clocks on the most
recent open cases, root causes on resolved complaints, and a few escalated cases.

Configuration goes through the services; the root causes of past resolutions are
set in bulk, like the rest of the demo's history. Idempotent: what exists is kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from amiable.accounts.models import Role, Team, User
from amiable.cases.models import (
    AssignmentMode,
    Case,
    CaseCategory,
    CaseEscalation,
    CaseKind,
    CaseStatus,
    EscalationLevel,
    RootCause,
    RoutingRule,
    SlaPolicy,
    TaxonomyEntry,
    TeamRouting,
)
from amiable.cases.services import (
    case_escalate,
    routing_rule_save,
    sla_policy_save,
    sla_scan,
    taxonomy_entry_save,
    team_routing_save,
)
from amiable.cases.services.sla_clocks import sla_start
from amiable.demo.staff import TEAM_COMPLAINTS, TEAM_DISPUTES, TEAM_SERVICE, DemoStaff
from amiable.sla.definitions import parse_exceptions, parse_opening_hours
from amiable.sla.models import BusinessCalendar
from amiable.sla.services import calendar_save

# SLA clocks on the most recent new and open cases (older ones breach at once and
# fill the supervisor queue, as they would have).
CLOCKED_CASES = 40
WORKING = [
    CaseStatus.NEW,
    CaseStatus.OPEN,
    CaseStatus.WAITING_CUSTOMER,
    CaseStatus.WAITING_THIRD_PARTY,
]

# (code, French, English, family code or None)
CATEGORIES: tuple[tuple[str, str, str, str | None], ...] = (
    ("orders", "Commandes", "Orders", None),
    ("order-tracking", "Suivi de commande", "Order tracking", "orders"),
    ("product-availability", "Disponibilité", "Availability", "orders"),
    ("address-change", "Changement d’adresse", "Address change", "orders"),
    ("cancellation", "Annulation", "Cancellation", "orders"),
    ("delivery", "Livraison", "Delivery", None),
    ("delivery-delay", "Retard de livraison", "Late delivery", "delivery"),
    ("damaged-item", "Article abîmé", "Damaged item", "delivery"),
    ("missing-item", "Article manquant", "Missing item", "delivery"),
    ("carrier-dispute", "Litige transporteur", "Carrier dispute", "delivery"),
    ("money", "Paiement et remboursement", "Payment and refund", None),
    ("payment", "Paiement", "Payment", "money"),
    ("invoice", "Facture", "Invoice", "money"),
    ("refund-pending", "Remboursement en attente", "Pending refund", "money"),
    ("chargeback", "Rétrofacturation", "Chargeback", "money"),
    ("product", "Produit", "Product", None),
    ("size-exchange", "Échange de taille", "Size exchange", "product"),
    ("not-as-described", "Non conforme", "Not as described", "product"),
)
ROOT_CAUSES: tuple[tuple[str, str, str, str | None], ...] = (
    ("logistics", "Logistique", "Logistics", None),
    ("carrier-delay", "Retard du transporteur", "Carrier delay", "logistics"),
    ("carrier-loss", "Colis perdu par le transporteur", "Parcel lost", "logistics"),
    ("packaging", "Emballage insuffisant", "Poor packaging", "logistics"),
    ("picking-error", "Erreur de préparation", "Picking error", "logistics"),
    ("process", "Processus interne", "Internal process", None),
    ("refund-slow", "Remboursement trop lent", "Slow refund", "process"),
    ("payment-incident", "Incident de paiement", "Payment incident", "process"),
    ("product-info", "Fiche produit inexacte", "Inaccurate product page", "process"),
)
CAUSE_OF_CATEGORY = {
    "delivery-delay": (
        "carrier-delay",
        "Colis livré avec retard ; frais de port remboursés.",
    ),
    "damaged-item": ("packaging", "Article remplacé, emballage renforcé signalé."),
    "missing-item": ("picking-error", "Article manquant expédié en express."),
    "refund-pending": ("refund-slow", "Remboursement relancé et confirmé au client."),
    "chargeback": ("payment-incident", "Double débit annulé par la banque."),
    "carrier-dispute": ("carrier-loss", "Colis perdu : remboursement intégral."),
    "not-as-described": ("product-info", "Retour accepté, fiche produit corrigée."),
}
# team -> (calendar name, opening hours, holiday region, exceptions)
CALENDARS: dict[str, tuple[str, str, str, str]] = {
    TEAM_SERVICE: (
        "Service client — Paris",
        "mon-fri 09:00-12:30 13:30-18:00",
        "",
        "2026-05-15 closed Pont de l’Ascension\n2026-05-25 open Journée de solidarité",
    ),
    TEAM_COMPLAINTS: (
        "Réclamations — Metz",
        "mon-fri 08:30-12:00 13:00-17:30",
        "57",
        "",
    ),
    TEAM_DISPUTES: ("Litiges — Paris", "mon-fri 09:00-18:00\nsat 09:00-12:00", "", ""),
}
# name, position, kind, priority, tier, first response, next response, resolution
POLICIES: tuple[tuple[str, int, str, str, str, int, int, int], ...] = (
    ("Clients platine", 10, "", "", "platinum", 60, 120, 2 * 9 * 60),
    ("Urgent", 20, "", "urgent", "", 60, 120, 9 * 60),
    ("Litiges", 30, "dispute", "", "", 4 * 60, 8 * 60, 10 * 9 * 60),
    ("Réclamations", 40, "complaint", "", "", 4 * 60, 8 * 60, 5 * 9 * 60),
    ("Standard", 90, "", "", "", 8 * 60, 8 * 60, 5 * 9 * 60),
)
SKILLS = {
    TEAM_SERVICE: (["fr", "en"], ["orders", "order-tracking", "payment", "invoice"]),
    TEAM_COMPLAINTS: (["fr"], ["delivery-delay", "damaged-item", "missing-item"]),
    TEAM_DISPUTES: (
        ["fr", "en"],
        ["chargeback", "carrier-dispute", "not-as-described"],
    ),
}


@dataclass(frozen=True)
class ServiceLevelsSummary:
    clocked_cases: int
    escalated_cases: int


def _taxonomy(
    model: type[RootCause] | type[CaseCategory],
    rows: tuple[tuple[str, str, str, str | None], ...],
) -> None:
    known: dict[str, TaxonomyEntry] = {
        entry.code: entry for entry in model.objects.all()
    }
    for code, name_fr, name_en, family in rows:
        if code in known:
            continue
        known[code] = taxonomy_entry_save(
            actor=None,
            model=model,
            code=code,
            name_fr=name_fr,
            name_en=name_en,
            parent=known[family] if family else None,
        )


def _configuration(teams: dict[str, Team]) -> None:
    _taxonomy(CaseCategory, CATEGORIES)
    _taxonomy(RootCause, ROOT_CAUSES)
    names = set(BusinessCalendar.objects.values_list("name", flat=True))
    for team_name, (name, hours, region, exceptions) in CALENDARS.items():
        team = teams.get(team_name)
        if name in names or team is None or hasattr(team, "business_calendar"):
            continue
        calendar_save(
            actor=None,
            name=name,
            time_zone="Europe/Paris",
            holiday_region=region,
            opening_hours=parse_opening_hours(hours),
            exceptions=parse_exceptions(exceptions),
            team=team,
        )
    existing = set(SlaPolicy.objects.values_list("name", flat=True))
    for name, position, kind, priority, tier, first, following, resolution in POLICIES:
        if name not in existing:
            sla_policy_save(
                actor=None,
                name=name,
                position=position,
                kind=kind,
                priority=priority,
                customer_tier=tier,
                first_response_minutes=first,
                next_response_minutes=following,
                resolution_minutes=resolution,
            )
    routed = set(TeamRouting.objects.values_list("team_id", flat=True))
    for team_name, (languages, categories) in SKILLS.items():
        team = teams.get(team_name)
        if team is not None and team.pk not in routed:
            team_routing_save(
                actor=None,
                team=team,
                languages=languages,
                categories=categories,
                assignment_mode=AssignmentMode.LEAST_LOADED,
            )
    if not RoutingRule.objects.exists():
        routing_rule_save(
            actor=None,
            name="Litiges",
            position=10,
            kind=CaseKind.DISPUTE,
            team=teams.get(TEAM_DISPUTES),
        )
        routing_rule_save(
            actor=None,
            name="Réclamations",
            position=20,
            kind=CaseKind.COMPLAINT,
            team=teams.get(TEAM_COMPLAINTS),
        )
        routing_rule_save(actor=None, name="Selon les compétences", position=90)


def _root_causes_of_past_resolutions() -> None:
    causes = {cause.code: cause for cause in RootCause.objects.all()}
    for category, (code, summary) in CAUSE_OF_CATEGORY.items():
        Case.objects.filter(
            kind__in=[CaseKind.COMPLAINT, CaseKind.DISPUTE],
            status__in=[CaseStatus.RESOLVED, CaseStatus.CLOSED],
            category=category,
            root_cause__isnull=True,
        ).update(root_cause=causes[code], resolution_summary=summary)


def _clocks(now: dt.datetime) -> int:
    if Case.objects.filter(sla_policy__isnull=False).exists():
        return 0
    recent = list(
        Case.objects.filter(
            status__in=[CaseStatus.NEW, CaseStatus.OPEN],
            sla_policy__isnull=True,
            opened_at__lte=now,
        )
        .select_related("customer")
        .order_by("-opened_at")[:CLOCKED_CASES]
    )
    with transaction.atomic():
        for case in recent:
            sla_start(case=case)
    return len(recent)


def _escalations(staff: DemoStaff) -> None:
    if CaseEscalation.objects.filter(escalated_by__isnull=False).exists():
        return
    people = {
        user.username: user
        for user in User.objects.filter(
            username__in=["superviseur", "qualite", "hugo", "karim"]
        )
    }
    complaint = (
        Case.objects.filter(
            kind=CaseKind.COMPLAINT,
            status__in=WORKING,
            escalation_level=EscalationLevel.AGENT,
        )
        .order_by("-last_activity_at")
        .first()
    )
    disputes = list(
        Case.objects.filter(
            kind=CaseKind.DISPUTE,
            status__in=WORKING,
            escalation_level=EscalationLevel.AGENT,
        ).order_by("-last_activity_at")[:2]
    )
    supervisor, quality = people.get("superviseur"), people.get("qualite")
    if complaint is not None and "hugo" in people:
        case_escalate(
            actor=people["hugo"],
            case=complaint,
            level=EscalationLevel.SUPERVISOR,
            reason="Le client menace de publier un avis négatif ; geste à valider.",
        )
    if supervisor is None or quality is None or quality.role != Role.QUALITY_MANAGER:
        return
    for index, dispute in enumerate(disputes):
        case_escalate(
            actor=supervisor,
            case=dispute,
            level=EscalationLevel.QUALITY_MANAGER,
            reason="Litige persistant après deux propositions amiables.",
        )
        if index == 1:
            case_escalate(
                actor=quality,
                case=Case.objects.get(pk=dispute.pk),
                level=EscalationLevel.MEDIATOR,
                reason="La cliente a saisi le médiateur de la consommation.",
            )


def service_levels_ensure(
    *, staff: DemoStaff, now: dt.datetime
) -> ServiceLevelsSummary:
    """Configure and illustrate SLAs, routing and the ladder (idempotent)."""
    _configuration(staff.teams)
    _root_causes_of_past_resolutions()
    clocked = _clocks(now)
    _escalations(staff)
    sla_scan(at=now)
    return ServiceLevelsSummary(
        clocked_cases=clocked,
        escalated_cases=Case.objects.filter(escalation_level__gt=0).count(),
    )
