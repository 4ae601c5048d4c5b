"""Configuring warning policies (administrators, the admin site, the demo)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.accounts.permissions import can_manage_catalog
from amiable.audit.services import audit_record, snapshot
from amiable.conversations.models import Channel
from amiable.core.errors import PermissionDeniedError, ValidationError
from amiable.promises.models import PromiseKind, WarningPolicy

POLICY_FIELDS = [
    "name",
    "is_active",
    "kind",
    "lead_hours",
    "silence_days",
    "channel",
    "extension_days",
    "is_owner_notified",
]
WARNING_CHANNELS = (Channel.EMAIL, Channel.SMS)


@transaction.atomic
def warning_policy_save(
    *,
    actor: User | None,
    name: str,
    kind: str = "",
    lead_hours: int = 48,
    silence_days: int = 3,
    channel: str = Channel.EMAIL,
    extension_days: int = 3,
    is_active: bool = True,
    is_owner_notified: bool = True,
) -> WarningPolicy:
    """Create or update (by name) a warning policy. Administrators only."""
    if actor is not None and not can_manage_catalog(actor):
        raise PermissionDeniedError(_("Only administrators configure warnings."))
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Required.")]
    if kind and kind not in PromiseKind.values:
        errors["kind"] = [_("Unknown promise type.")]
    if channel not in WARNING_CHANNELS:
        errors["channel"] = [_("Email or SMS.")]
    if not 1 <= lead_hours <= 24 * 60:
        errors["lead_hours"] = [_("Between 1 hour and 60 days.")]
    if not 1 <= silence_days <= 60:
        errors["silence_days"] = [_("Between 1 and 60 days.")]
    if not 1 <= extension_days <= 90:
        errors["extension_days"] = [_("Between 1 and 90 days.")]
    if errors:
        raise ValidationError(_("The policy is not valid."), fields=errors)
    policy = WarningPolicy.objects.filter(name=name.strip()).first()
    before = snapshot(policy, POLICY_FIELDS) if policy is not None else {}
    policy = policy or WarningPolicy(name=name.strip())
    policy.kind = kind
    policy.lead_hours = lead_hours
    policy.silence_days = silence_days
    policy.channel = channel
    policy.extension_days = extension_days
    policy.is_active = is_active
    policy.is_owner_notified = is_owner_notified
    policy.save()
    audit_record(
        actor=actor,
        action="warning_policy.save",
        instance=policy,
        before=before,
        after=snapshot(policy, POLICY_FIELDS),
    )
    return policy
