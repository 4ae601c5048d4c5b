"""Staff web views of conversations: downloading an attachment."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from amiable.accounts.models import User
from amiable.conversations.downloads import attachment_response
from amiable.conversations.selectors import attachment_get
from amiable.core.access import TEAM, access
from amiable.core.errors import NotFoundError


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
