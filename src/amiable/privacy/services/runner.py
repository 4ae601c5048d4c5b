"""Running a request in the background: claimed once, resumed after a failure."""

from __future__ import annotations

from django.db import transaction

from amiable.core.clock import now
from amiable.core.personal_data import personal_data_sections
from amiable.privacy.models import DataRequest, RequestKind, RequestStatus
from amiable.privacy.services.erasure import data_request_erase
from amiable.privacy.services.export import data_request_export


def data_request_run(*, request_id: int) -> DataRequest:
    """Run the request; a finished one is left as it is (idempotent)."""
    with transaction.atomic():
        request = (
            DataRequest.objects.select_for_update()
            .select_related("customer")
            .get(pk=request_id)
        )
        if request.status == RequestStatus.DONE:
            return request
        request.status = RequestStatus.RUNNING
        request.started_at = request.started_at or now()
        request.steps_total = len(personal_data_sections())
        request.save(update_fields=["status", "started_at", "steps_total"])
    if request.kind == RequestKind.ERASURE:
        return data_request_erase(request)
    return data_request_export(request)


def data_request_fail(*, request_id: int, reason: str) -> None:
    """The last attempt failed: shown on the request, which may be asked again."""
    DataRequest.objects.filter(pk=request_id).exclude(status=RequestStatus.DONE).update(
        status=RequestStatus.FAILED, error=reason[:500], finished_at=now()
    )
