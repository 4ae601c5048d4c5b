"""Writing audit events. Called by every service that changes audited data."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models

from amiable.audit.models import AuditEvent
from amiable.core.clock import now
from amiable.core.request_context import current_request_id
from amiable.core.unit_of_work import insert_later

if TYPE_CHECKING:
    from amiable.accounts.models import User


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    return value


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """Return the JSON-safe values of ``fields`` on ``instance``."""
    values: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        attname = getattr(field, "attname", name)
        values[name] = _jsonable(getattr(instance, attname))
    return values


def audit_record(
    *,
    actor: User | None,
    action: str,
    instance: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor_label: str = "",
) -> AuditEvent:
    """Append one audit event; with both sides given, keep only the changed fields.

    Inside a unit of work (``core.unit_of_work``) the row is written with the
    unit's other audit lines in one bulk insert, just before it commits."""
    before = _jsonable(before or {})
    after = _jsonable(after or {})
    if before and after:
        changed = {key for key in after if before.get(key) != after.get(key)}
        before = {key: before.get(key) for key in changed}
        after = {key: after[key] for key in changed}
    label = actor_label or (actor.get_username() if actor is not None else "system")
    event = AuditEvent(
        occurred_at=now(),
        actor=actor,
        actor_label=label,
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        before=before,
        after=after,
        request_id=current_request_id(),
    )
    if not insert_later(event):
        event.save(force_insert=True)
    return event
