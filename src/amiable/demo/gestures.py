"""Demo data of commercial gestures: the catalogue, an authority matrix, this
month's budgets, a few applied gestures and one request waiting for a supervisor.

Everything goes through the gestures services, with fixed codes and idempotency
keys, so running the demo again adds nothing.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from amiable.accounts.models import Role
from amiable.cases.models import Case
from amiable.demo.staff import TEAM_COMPLAINTS, TEAM_SERVICE, DemoStaff
from amiable.gestures.models import (
    AuthorityLimit,
    GestureReason,
    GestureType,
    WhenSpent,
)
from amiable.gestures.services import (
    authority_limit_set,
    budget_set,
    gesture_propose,
    gesture_reason_create,
    gesture_settings_update,
    gesture_type_create,
)

REASONS = (
    ("late-delivery", "Livraison en retard", "Late delivery"),
    ("damaged", "Colis endommagé", "Damaged parcel"),
    ("wrong-item", "Erreur de préparation", "Wrong item sent"),
    ("service-failure", "Promesse non tenue", "Broken promise"),
    ("price-protection", "Baisse de prix", "Price drop"),
    ("loyalty", "Fidélité", "Loyalty"),
)
ALL = ("late-delivery", "damaged", "wrong-item", "service-failure", "loyalty")
# code, French, English, kind, unit, unit cost, needs an order line, reasons
TYPES = (
    ("refund", "Remboursement total", "Full refund", "refund", "money", "0", True, ALL),
    (
        "partial-refund",
        "Remboursement partiel",
        "Partial refund",
        "partial_refund",
        "money",
        "0",
        True,
        ALL,
    ),
    (
        "voucher",
        "Bon d’achat",
        "Voucher",
        "voucher",
        "money",
        "0",
        False,
        (*ALL, "price-protection"),
    ),
    ("store-credit", "Avoir", "Store credit", "store_credit", "money", "0", False, ALL),
    (
        "free-shipping",
        "Livraison offerte",
        "Free shipping",
        "free_shipping",
        "item",
        "5.90",
        False,
        ALL,
    ),
    (
        "replacement",
        "Remplacement",
        "Replacement",
        "replacement",
        "item",
        "0",
        True,
        ("damaged", "wrong-item"),
    ),
    ("upgrade", "Montée en gamme", "Upgrade", "upgrade", "item", "25.00", True, ALL),
    ("gift", "Cadeau", "Gift", "gift", "item", "8.00", False, ALL),
    (
        "points",
        "Points fidélité",
        "Loyalty points",
        "loyalty_points",
        "points",
        "0.01",
        False,
        ALL,
    ),
)
# type code -> maximum per gesture for agent, supervisor, quality manager
LIMITS = {
    "voucher": ("30", "150", "500"),
    "store-credit": ("30", "150", "500"),
    "partial-refund": ("25", "200", "1000"),
    "refund": ("0", "300", "2000"),
    "free-shipping": ("1", "3", "10"),
    "replacement": ("1", "2", "5"),
    "upgrade": ("0", "1", "3"),
    "gift": ("1", "2", "5"),
    "points": ("500", "2000", "10000"),
}
BUDGETS = {
    "voucher": "1500",
    "partial-refund": "2000",
    "free-shipping": "60",
    "points": "50000",
}
# (case index, agent, type, reason, value, key)
APPLIED = (
    (0, 0, "voucher", "late-delivery", "15.00", "demo-gesture-1"),
    (1, 0, "free-shipping", "damaged", "1", "demo-gesture-2"),
    (2, 1, "points", "loyalty", "400", "demo-gesture-3"),
    (3, 1, "voucher", "service-failure", "20.00", "demo-gesture-4"),
)
PENDING = (4, 0, "voucher", "damaged", "85.00", "demo-gesture-pending-1")


def _catalogue() -> dict[str, GestureType]:
    reasons = {reason.code: reason for reason in GestureReason.objects.all()}
    for code, name_fr, name_en in REASONS:
        if code not in reasons:
            reasons[code] = gesture_reason_create(
                actor=None, code=code, name_fr=name_fr, name_en=name_en
            )
    types = {
        gesture_type.code: gesture_type for gesture_type in GestureType.objects.all()
    }
    for code, name_fr, name_en, kind, unit, cost, needs_line, reason_codes in TYPES:
        if code not in types:
            types[code] = gesture_type_create(
                actor=None,
                code=code,
                name_fr=name_fr,
                name_en=name_en,
                kind=kind,
                unit=unit,
                unit_cost=Decimal(cost),
                requires_order_line=needs_line,
                reasons=[reasons[reason] for reason in reason_codes],
            )
    return types


def _propose(
    staff: DemoStaff,
    cases: list[Case],
    types: dict[str, GestureType],
    row: tuple[int, int, str, str, str, str],
) -> None:
    case_index, agent_index, type_code, reason_code, value, key = row
    agents = staff.agents_by_team.get(TEAM_SERVICE, [])
    if case_index >= len(cases) or agent_index >= len(agents):
        return
    gesture_type = types[type_code]
    gesture_propose(
        actor=agents[agent_index],
        customer=cases[case_index].customer,
        case=cases[case_index],
        gesture_type=gesture_type,
        reason=gesture_type.reasons.get(code=reason_code),
        value=Decimal(value),
        idempotency_key=key,
    )


@transaction.atomic
def demo_gestures_ensure(staff: DemoStaff) -> None:
    """Create what is missing of the gestures demo (idempotent)."""
    types = _catalogue()
    if AuthorityLimit.objects.exists():
        return  # configured already (by an earlier run, or by an administrator)
    for code, (agent, supervisor, quality) in LIMITS.items():
        for role, limit in (
            (Role.AGENT, agent),
            (Role.SUPERVISOR, supervisor),
            (Role.QUALITY_MANAGER, quality),
        ):
            authority_limit_set(
                actor=None,
                role=role,
                gesture_type=types[code],
                max_per_gesture=Decimal(limit),
                max_per_customer=Decimal(limit) * 3 if role == Role.AGENT else None,
                period_days=90,
            )
    month = timezone.localdate().replace(day=1)
    for team_name in (TEAM_SERVICE, TEAM_COMPLAINTS):
        team = staff.teams.get(team_name)
        if team is None:
            continue
        for code, amount in BUDGETS.items():
            budget_set(
                actor=None,
                team=team,
                gesture_type=types[code],
                month=month,
                amount=Decimal(amount),
                when_spent=WhenSpent.BLOCK
                if code == "points"
                else WhenSpent.REQUIRE_APPROVAL,
            )
    gesture_settings_update(
        actor=None,
        price_protection_type=types["voucher"],
        price_protection_reason=GestureReason.objects.get(code="price-protection"),
    )
    team = staff.teams.get(TEAM_SERVICE)
    cases = list(
        Case.objects.filter(team=team)
        .select_related("customer", "team")
        .order_by("id")[:5]
    )
    for row in (*APPLIED, PENDING):
        _propose(staff, cases, types, row)
