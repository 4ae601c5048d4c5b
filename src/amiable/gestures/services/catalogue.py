"""The catalogue (gesture types and reasons), the authority matrix and budgets:
configured by administrators."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from amiable.accounts.models import Role, Team, User
from amiable.audit.services import audit_record, snapshot
from amiable.core.errors import DuplicateError, PermissionDeniedError, ValidationError
from amiable.gestures.models import (
    AuthorityLimit,
    Budget,
    GestureKind,
    GestureReason,
    GestureType,
    GestureUnit,
    WhenSpent,
)
from amiable.gestures.permissions import can_manage_gestures

TYPE_FIELDS = [
    "code",
    "name_fr",
    "name_en",
    "kind",
    "unit",
    "currency",
    "unit_cost",
    "requires_order_line",
    "is_active",
]


def _require_admin(actor: User | None) -> None:
    if actor is not None and not can_manage_gestures(actor):
        raise PermissionDeniedError(
            _("Only administrators configure gestures, limits and budgets.")
        )


def _check_type(gesture_type: GestureType) -> None:
    errors: dict[str, list[str]] = {}
    if gesture_type.kind not in GestureKind.values:
        errors["kind"] = [_("Unknown kind.")]
    if gesture_type.unit not in GestureUnit.values:
        errors["unit"] = [_("Unknown unit.")]
    currency = gesture_type.currency.strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        errors["currency"] = [_("Use a three-letter currency code.")]
    if gesture_type.unit_cost < 0:
        errors["unit_cost"] = [_("A cost cannot be negative.")]
    if not gesture_type.code.strip():
        errors["code"] = [_("Required.")]
    if not gesture_type.name_fr.strip() or not gesture_type.name_en.strip():
        errors["name_fr"] = [_("Name the type in French and in English.")]
    if errors:
        raise ValidationError(_("The gesture type is not valid."), fields=errors)
    gesture_type.currency = currency


@transaction.atomic
def gesture_type_create(
    *,
    actor: User | None,
    code: str,
    name_fr: str,
    name_en: str,
    kind: str,
    unit: str,
    currency: str = "EUR",
    unit_cost: Decimal = Decimal(0),
    requires_order_line: bool = False,
    reasons: Sequence[GestureReason] = (),
) -> GestureType:
    """Add a gesture type. Raises DuplicateError when the code is taken."""
    _require_admin(actor)
    gesture_type = GestureType(
        code=code.strip(),
        name_fr=name_fr.strip(),
        name_en=name_en.strip(),
        kind=kind,
        unit=unit,
        currency=currency,
        unit_cost=unit_cost,
        requires_order_line=requires_order_line,
    )
    _check_type(gesture_type)
    if GestureType.objects.filter(code=gesture_type.code).exists():
        raise DuplicateError(
            _("A gesture type with this code exists."), fields={"code": [_("Taken.")]}
        )
    gesture_type.save()
    gesture_type.reasons.set(reasons)
    audit_record(
        actor=actor,
        action="gestures.type_create",
        instance=gesture_type,
        after={
            **snapshot(gesture_type, TYPE_FIELDS),
            "reasons": sorted(r.code for r in reasons),
        },
    )
    return gesture_type


@transaction.atomic
def gesture_type_update(
    *,
    actor: User | None,
    gesture_type: GestureType,
    reasons: Sequence[GestureReason] | None = None,
    **changes: Any,
) -> GestureType:
    """Change a gesture type (not its code: stored gestures and exports use it)."""
    _require_admin(actor)
    editable = set(TYPE_FIELDS) - {"code"}
    unknown = sorted(set(changes) - editable)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed."),
            fields={name: [_("Unknown or read-only field.")] for name in unknown},
        )
    before = snapshot(gesture_type, TYPE_FIELDS)
    for name, value in changes.items():
        setattr(gesture_type, name, value)
    _check_type(gesture_type)
    gesture_type.save()
    after = snapshot(gesture_type, TYPE_FIELDS)
    if reasons is not None:
        before["reasons"] = sorted(r.code for r in gesture_type.reasons.all())
        gesture_type.reasons.set(reasons)
        after["reasons"] = sorted(r.code for r in reasons)
    audit_record(
        actor=actor,
        action="gestures.type_update",
        instance=gesture_type,
        before=before,
        after=after,
    )
    return gesture_type


@transaction.atomic
def gesture_reason_create(
    *, actor: User | None, code: str, name_fr: str, name_en: str
) -> GestureReason:
    """Add a reason code. Raises DuplicateError when the code is taken."""
    _require_admin(actor)
    if not code.strip() or not name_fr.strip() or not name_en.strip():
        raise ValidationError(
            _("A reason needs a code and a name in French and in English."),
            fields={"code": [_("Required.")]},
        )
    if GestureReason.objects.filter(code=code.strip()).exists():
        raise DuplicateError(
            _("A reason with this code exists."), fields={"code": [_("Taken.")]}
        )
    reason = GestureReason.objects.create(
        code=code.strip(), name_fr=name_fr.strip(), name_en=name_en.strip()
    )
    audit_record(
        actor=actor,
        action="gestures.reason_create",
        instance=reason,
        after={"code": reason.code},
    )
    return reason


@transaction.atomic
def authority_limit_set(
    *,
    actor: User | None,
    role: str,
    gesture_type: GestureType,
    max_per_gesture: Decimal,
    team: Team | None = None,
    max_per_customer: Decimal | None = None,
    period_days: int = 30,
) -> AuthorityLimit:
    """Create or change the limit of (role, team or every team, type)."""
    _require_admin(actor)
    errors: dict[str, list[str]] = {}
    if role not in Role.values:
        errors["role"] = [_("Unknown role.")]
    if max_per_gesture < 0:
        errors["max_per_gesture"] = [_("A limit cannot be negative.")]
    if max_per_customer is not None and max_per_customer < max_per_gesture:
        errors["max_per_customer"] = [_("At least the maximum per gesture.")]
    if period_days < 1:
        errors["period_days"] = [_("At least one day.")]
    if errors:
        raise ValidationError(_("The limit is not valid."), fields=errors)
    limit, created = AuthorityLimit.objects.select_for_update().get_or_create(
        role=role,
        team=team,
        gesture_type=gesture_type,
        defaults={
            "max_per_gesture": max_per_gesture,
            "max_per_customer": max_per_customer,
            "period_days": period_days,
        },
    )
    fields = ["max_per_gesture", "max_per_customer", "period_days"]
    before = {} if created else snapshot(limit, fields)
    limit.max_per_gesture = max_per_gesture
    limit.max_per_customer = max_per_customer
    limit.period_days = period_days
    limit.save()
    audit_record(
        actor=actor,
        action="gestures.limit_set",
        instance=limit,
        before=before,
        after={
            **snapshot(limit, fields),
            "role": role,
            "team": team.pk if team else None,
            "gesture_type": gesture_type.code,
        },
    )
    return limit


@transaction.atomic
def budget_set(
    *,
    actor: User | None,
    team: Team,
    gesture_type: GestureType,
    month: dt.date,
    amount: Decimal,
    when_spent: str = WhenSpent.REQUIRE_APPROVAL,
) -> Budget:
    """Create or change a team's budget of one type for one month (what was
    consumed stays)."""
    _require_admin(actor)
    errors: dict[str, list[str]] = {}
    if amount < 0:
        errors["amount"] = [_("A budget cannot be negative.")]
    if when_spent not in WhenSpent.values:
        errors["when_spent"] = [_("Unknown behaviour.")]
    if errors:
        raise ValidationError(_("The budget is not valid."), fields=errors)
    first = month.replace(day=1)
    try:
        with transaction.atomic():
            budget, created = Budget.objects.select_for_update().get_or_create(
                team=team,
                gesture_type=gesture_type,
                month=first,
                defaults={"amount": amount, "when_spent": when_spent},
            )
    except IntegrityError:  # a concurrent call created it first
        budget, created = (
            Budget.objects.select_for_update().get(
                team=team, gesture_type=gesture_type, month=first
            ),
            False,
        )
    before = {} if created else snapshot(budget, ["amount", "when_spent"])
    budget.amount = amount
    budget.when_spent = when_spent
    budget.save(update_fields=["amount", "when_spent", "updated_at"])
    audit_record(
        actor=actor,
        action="gestures.budget_set",
        instance=budget,
        before=before,
        after={"amount": amount, "when_spent": when_spent, "month": first},
    )
    return budget
