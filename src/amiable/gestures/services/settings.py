"""The gesture settings row."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.audit.services import audit_record, snapshot
from amiable.core.encryption import secret_is_set
from amiable.core.errors import PermissionDeniedError, ValidationError
from amiable.gestures.models import GestureSettings
from amiable.gestures.permissions import can_manage_gestures

EDITABLE = (
    "supervisor_due_hours",
    "quality_manager_due_hours",
    "admin_due_hours",
    "price_protection_window_days",
    "promotion_suppression_days",
    "price_protection_type",
    "price_protection_reason",
    "webhook_url",
    "webhook_secret",
)


def gesture_settings_get() -> GestureSettings:
    """The one settings row, created with the defaults when missing."""
    row, _created = GestureSettings.objects.select_related(
        "price_protection_type", "price_protection_reason"
    ).get_or_create(pk=1)
    return row


@transaction.atomic
def gesture_settings_update(*, actor: User | None, **changes: Any) -> GestureSettings:
    """Change the settings (administrators). Raises ValidationError for unknown
    fields or a webhook URL without a secret."""
    if actor is not None and not can_manage_gestures(actor):
        raise PermissionDeniedError(_("Only administrators change gesture settings."))
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed."),
            fields={name: [_("Unknown or read-only field.")] for name in unknown},
        )
    row = gesture_settings_get()
    audited = [name for name in EDITABLE if name != "webhook_secret"]
    before = snapshot(row, audited)
    for name, value in changes.items():
        setattr(row, name, value)
    if row.webhook_url and not secret_is_set(row.webhook_secret):
        raise ValidationError(
            _("A webhook needs a signing secret."),
            fields={"webhook_secret": [_("Required with a webhook URL.")]},
        )
    row.save()
    audit_record(
        actor=actor,
        action="gestures.settings_update",
        instance=row,
        before=before,
        after=snapshot(row, audited),
    )
    return row
