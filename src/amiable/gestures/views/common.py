"""Shared pieces of the gestures views."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from amiable.accounts.models import User
from amiable.core.errors import NotFoundError
from amiable.gestures.models import Gesture
from amiable.gestures.permissions import can_view_reports
from amiable.gestures.selectors import gesture_get
from amiable.web.requests import request_actor


def reports_actor(request: HttpRequest) -> User:
    """Supervisors and above; 403 for the others."""
    actor = request_actor(request)
    if not can_view_reports(actor):
        raise PermissionDenied
    return actor


def gesture_or_404(actor: User, pk: int) -> Gesture:
    try:
        return gesture_get(actor=actor, gesture_id=pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
