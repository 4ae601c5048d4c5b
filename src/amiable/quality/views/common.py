"""Helpers shared by the staff pages of the quality app."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.cases.selectors import case_get
from amiable.core.errors import ApplicationError, NotFoundError
from amiable.quality.permissions import can_view_quality


def actor_of(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees it
    return user


def quality_staff(request: HttpRequest) -> User:
    actor = actor_of(request)
    if not can_view_quality(actor):
        raise PermissionDenied
    return actor


def case_or_404(actor: User, pk: int) -> Case:
    try:
        return case_get(actor=actor, case_id=pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


def apply_error(form: forms.Form, exc: ApplicationError) -> None:
    form.add_error(None, exc.message)
    for field, errors in exc.fields.items():
        if field in form.fields and field != "version":
            form.add_error(field, errors)


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))
