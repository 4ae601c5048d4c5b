"""Replaying a quarantined email once its cause is fixed (a bug, a missing mailbox)."""

from __future__ import annotations

from django.db import DatabaseError, IntegrityError, transaction
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.audit.services import audit_record
from amiable.core.clock import now
from amiable.core.errors import ApplicationError, PermissionDeniedError
from amiable.inbound.errors import EmailSourceMissingError, NotQuarantinedError
from amiable.inbound.models import InboundEmail, InboundStatus
from amiable.inbound.parsing import EmailUnparseableError
from amiable.inbound.permissions import can_manage_inbound
from amiable.inbound.reasons import QuarantineCode
from amiable.inbound.services.ingestion import IngestResult, _apply, _result
from amiable.inbound.services.processing import email_process


def email_replay(*, actor: User, email: InboundEmail) -> IngestResult:
    """Ingest a quarantined email again from its stored source.

    On success the ledger row takes its new status (one row per message, always);
    when it fails again it stays quarantined with the new reason. Raises
    PermissionDeniedError for non-administrators, NotQuarantinedError for a
    message that is not (or no longer) quarantined and EmailSourceMissingError when
    its stored source cannot be read.
    """
    if not can_manage_inbound(actor):
        raise PermissionDeniedError(_("Only administrators can replay messages."))
    if email.status != InboundStatus.QUARANTINED:  # checked again under the lock
        raise NotQuarantinedError(
            _("This message is not in quarantine."),
            fields={"status": [email.get_status_display()]},
        )
    try:
        with email.raw.open("rb") as handle:
            raw = handle.read()
    except (OSError, ValueError):  # a lost file, or no file name at all
        raise EmailSourceMissingError(
            _("The stored source of this message cannot be read."),
            fields={"raw": [_("Missing or unreadable.")]},
        ) from None
    try:
        with transaction.atomic():
            locked = InboundEmail.objects.select_for_update().get(pk=email.pk)
            if locked.status != InboundStatus.QUARANTINED:
                raise NotQuarantinedError(
                    _("This message is not in quarantine."),
                    fields={"status": [locked.get_status_display()]},
                )
            before = locked.reason
            locked.replay_count += 1
            locked.replayed_at = now()
            _apply(locked, email_process(email=locked, raw=raw, mailbox=locked.mailbox))
            audit_record(
                actor=actor,
                action="inbound_email.replay",
                instance=locked,
                before={"status": InboundStatus.QUARANTINED, "reason": before},
                after={"status": locked.status},
            )
    except NotQuarantinedError:
        raise
    except EmailUnparseableError as exc:
        return _still_quarantined(actor, email, exc.reason, exc.code)
    except ApplicationError as exc:
        return _still_quarantined(
            actor, email, str(exc.message), QuarantineCode.REJECTED
        )
    except IntegrityError as exc:
        return _still_quarantined(
            actor, email, str(exc), QuarantineCode.DATABASE_REFUSED
        )
    except DatabaseError:
        raise
    except Exception as exc:  # noqa: BLE001 (the message stays safe in quarantine)
        return _still_quarantined(
            actor,
            email,
            f"unexpected error: {type(exc).__name__}: {exc}",
            QuarantineCode.UNEXPECTED_ERROR,
        )
    return _result(locked, is_duplicate=False)


@transaction.atomic
def _still_quarantined(
    actor: User, email: InboundEmail, reason: str, code: str
) -> IngestResult:
    locked = InboundEmail.objects.select_for_update().get(pk=email.pk)
    locked.replay_count += 1
    locked.replayed_at = now()
    locked.reason = reason[:2000]
    locked.reason_code = code
    locked.save(
        update_fields=[
            "replay_count",
            "replayed_at",
            "reason",
            "reason_code",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action="inbound_email.replay_failed",
        instance=locked,
        after={"reason": locked.reason},
    )
    return _result(locked, is_duplicate=False)
