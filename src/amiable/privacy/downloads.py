"""The export's zip as a download, for the staff page, the API and the portal."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from amiable.privacy.models import DataRequest


def archive_response(data_request: DataRequest) -> FileResponse:
    """The archive as an attachment, never cached; 404 when there is none."""
    if not data_request.archive:
        raise Http404(_("This export has no file (not ready, expired or erased)."))
    response = FileResponse(
        data_request.archive.open("rb"),
        as_attachment=True,
        filename=f"personal-data-{data_request.customer_id}-{data_request.pk}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "no-store"
    return response
