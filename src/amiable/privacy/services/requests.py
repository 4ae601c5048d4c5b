"""Receiving data-subject requests: who may ask, the legal clock, one at a time."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.audit.services import audit_record
from amiable.core.clock import now
from amiable.core.errors import PermissionDeniedError, ValidationError
from amiable.customers.models import Customer, CustomerStatus
from amiable.disputes.legal_clocks import Period, legal_end
from amiable.privacy.models import (
    OPEN_STATUSES,
    DataRequest,
    RequestKind,
    RequestSource,
    RequestStatus,
)
from amiable.privacy.permissions import (
    can_erase_personal_data,
    can_export_personal_data,
)

# GDPR art. 12(3): within one month of receipt; the professional's deadline, so the
# earliest date (never extended to a working day, domain rules §2.12).
ANSWER_PERIOD = Period(months=1)


def legal_due_at(received_at: dt.datetime) -> dt.datetime:
    return legal_end(received_at, ANSWER_PERIOD, zone=settings.TIME_ZONE).due_at


def _check_allowed(actor: User | None, kind: str, source: str) -> None:
    if source != RequestSource.STAFF:
        return
    if actor is None:
        raise PermissionDeniedError(_("Sign in to handle personal data."))
    allowed = (
        can_erase_personal_data(actor)
        if kind == RequestKind.ERASURE
        else can_export_personal_data(actor)
    )
    if not allowed:
        raise PermissionDeniedError(
            _("Only administrators may erase a person's data.")
            if kind == RequestKind.ERASURE
            else _("Only supervisors and administrators may export a person's data.")
        )


def data_request_create(
    *,
    actor: User | None,
    customer: Customer,
    kind: str,
    source: str = RequestSource.STAFF,
    policy: str = "",
) -> DataRequest:
    """Record a request and start it in the background.

    An open request of the same kind for the customer is answered instead of a
    second one (a double click, a customer asking twice). A merged customer's
    request goes to the customer it was merged into."""
    _check_allowed(actor, kind, source)
    if kind not in RequestKind.values:
        raise ValidationError(
            _("Unknown kind of request."),
            fields={"kind": [_("Use export or erasure.")]},
        )
    with transaction.atomic():
        target = Customer.objects.select_for_update().get(pk=customer.pk)
        while target.status == CustomerStatus.MERGED and target.merged_into_id:
            target = Customer.objects.get(pk=target.merged_into_id)
        existing = (
            DataRequest.objects.filter(
                customer=target, kind=kind, status__in=OPEN_STATUSES
            )
            .order_by("pk")
            .first()
        )
        if existing is not None:
            return existing
        received = now()
        request = DataRequest.objects.create(
            kind=kind,
            source=source,
            customer=target,
            requested_by=actor,
            policy=policy,
            requested_at=received,
            due_at=legal_due_at(received),
        )
        audit_record(
            actor=actor,
            action=f"privacy.{kind}_request",
            instance=request,
            actor_label="" if actor is not None else str(source),
            after={"customer": target.pk, "kind": kind, "source": source},
        )
        transaction.on_commit(lambda: _enqueue(request.pk))
    return request


def _enqueue(request_id: int) -> None:
    from amiable.privacy.tasks import data_request_run_task

    data_request_run_task.enqueue(request_id=request_id)


def data_request_archive_opened(*, actor: User | None, request: DataRequest) -> None:
    """Every opening of an export is an audit line (who, when, whose data)."""
    audit_record(
        actor=actor,
        action="privacy.export_download",
        instance=request,
        actor_label="" if actor is not None else "customer",
        after={"customer": request.customer_id},
    )


PORTAL_EXPORT_INTERVAL = dt.timedelta(hours=24)


def portal_export_request(*, customer: Customer) -> tuple[DataRequest, bool]:
    """The customer asks for their data from the portal: (request, is_new).

    At most one a day: within 24 hours of the last one that did not fail, that one
    is answered again (its archive is the copy to download)."""
    recent = (
        DataRequest.objects.filter(
            customer=customer,
            kind=RequestKind.EXPORT,
            requested_at__gte=now() - PORTAL_EXPORT_INTERVAL,
        )
        .exclude(status=RequestStatus.FAILED)
        .order_by("-requested_at", "-id")
        .first()
    )
    if recent is not None:
        return recent, False
    request = data_request_create(
        actor=None,
        customer=customer,
        kind=RequestKind.EXPORT,
        source=RequestSource.PORTAL,
    )
    return request, True
