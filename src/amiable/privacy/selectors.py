"""Reading data-subject requests, scoped to who may see them."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.core.errors import NotFoundError, PermissionDeniedError
from amiable.customers.models import Customer
from amiable.privacy.models import DataRequest, RequestKind
from amiable.privacy.permissions import can_see_data_requests


def _check(actor: User) -> None:
    if not can_see_data_requests(actor):
        raise PermissionDeniedError(
            _("Only supervisors and administrators handle personal data requests.")
        )


def data_request_list(
    *,
    actor: User,
    customer_id: int | None = None,
    kind: str = "",
    status: str = "",
) -> QuerySet[DataRequest]:
    _check(actor)
    rows = DataRequest.objects.select_related("customer", "requested_by")
    if customer_id is not None:
        rows = rows.filter(customer_id=customer_id)
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    return rows


def data_request_get(*, actor: User, request_id: int) -> DataRequest:
    _check(actor)
    request = (
        DataRequest.objects.select_related("customer", "requested_by")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise NotFoundError(_("No such request."))
    return request


def customer_exports(*, customer: Customer) -> QuerySet[DataRequest]:
    """The customer's own exports, for the portal (newest first)."""
    return DataRequest.objects.filter(
        customer=customer, kind=RequestKind.EXPORT
    ).order_by("-requested_at", "-id")
