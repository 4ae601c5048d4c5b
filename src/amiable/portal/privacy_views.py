"""The customer's own copy of their data, from the portal: ask, then download.

Asking is allowed once a day (the request of the last 24 hours is answered
again); every download is an audit line. Another customer's export is « not
found », like anything else that is not theirs."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amiable.core.access import CUSTOMER, access
from amiable.core.errors import NotFoundError
from amiable.customers.models import Customer
from amiable.portal.views import PRIVATE_HEADERS, _language_of, customer_required
from amiable.privacy.downloads import archive_response
from amiable.privacy.models import RequestStatus
from amiable.privacy.selectors import customer_exports
from amiable.privacy.services import data_request_archive_opened, portal_export_request


@access(CUSTOMER)
@require_POST
@customer_required
def portal_privacy_export_view(
    request: HttpRequest, customer: Customer
) -> HttpResponseBase:
    data_request, is_new = portal_export_request(customer=customer)
    with translation.override(_language_of(customer)):
        if is_new:
            text = _(
                "We are preparing a copy of your data. The download link appears "
                "on this page when it is ready."
            )
        elif data_request.status == RequestStatus.DONE:
            text = _("Your copy of today is ready below; you can ask again tomorrow.")
        else:
            text = _("Your copy is being prepared; the link appears here soon.")
        messages.success(request, text)
    return HttpResponseRedirect(reverse("portal:home") + "#portal-privacy")


@access(CUSTOMER)
@require_GET
@customer_required
def portal_privacy_archive_view(
    request: HttpRequest, customer: Customer, request_id: int
) -> HttpResponseBase:
    data_request = customer_exports(customer=customer).filter(pk=request_id).first()
    if data_request is None or not data_request.archive:
        raise NotFoundError(_("No such export."))
    response = archive_response(data_request)
    for header, value in PRIVATE_HEADERS.items():
        response[header] = value
    data_request_archive_opened(actor=None, request=data_request)
    return response
