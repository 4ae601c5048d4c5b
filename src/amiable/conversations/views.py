"""Web views of conversations: downloading an attachment, a remote image of a
message through the image proxy."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from amiable.accounts.models import User
from amiable.conversations.downloads import attachment_response
from amiable.conversations.image_proxy import ImageFetchError, image_fetch, image_url_of
from amiable.conversations.selectors import attachment_get
from amiable.core.access import SIGNED, TEAM, access
from amiable.core.errors import NotFoundError

logger = logging.getLogger(__name__)


@access(TEAM)
@login_required
@require_GET
def attachment_download_view(request: HttpRequest, pk: int) -> FileResponse:
    """The file of an attachment on an interaction the user may see (404 otherwise)."""
    actor = request.user
    assert isinstance(actor, User)  # noqa: S101 - login_required guarantees it
    try:
        attachment = attachment_get(actor=actor, attachment_id=pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    return attachment_response(attachment)


@access(SIGNED)
@require_GET
def remote_image_view(request: HttpRequest, token: str) -> HttpResponse:
    """The remote image a signed token names, fetched by our server (the link is
    the credential: it was in a message shown to someone allowed to read it).
    404 for a forged or expired token, 502 when the image cannot be shown."""
    url = image_url_of(token)
    if url is None:
        raise Http404("no such image")
    try:
        image = image_fetch(url)
    except ImageFetchError as exc:
        logger.info("Remote image not shown: %s", exc.reason)
        return HttpResponse(status=502, content_type="text/plain")
    response = HttpResponse(image.content, content_type=image.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response
