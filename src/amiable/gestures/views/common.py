"""Shared pieces of the gestures views."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.cases.selectors import case_get
from amiable.core.errors import NotFoundError
from amiable.gestures.models import Gesture
from amiable.gestures.permissions import can_view_reports
from amiable.gestures.selectors import gesture_get


def actor_of(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees it
    return user


def reports_actor(request: HttpRequest) -> User:
    """Supervisors and above; 403 for the others."""
    actor = actor_of(request)
    if not can_view_reports(actor):
        raise PermissionDenied
    return actor


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def case_or_404(actor: User, pk: int) -> Case:
    try:
        return case_get(actor=actor, case_id=pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


def gesture_or_404(actor: User, pk: int) -> Gesture:
    try:
        return gesture_get(actor=actor, gesture_id=pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
