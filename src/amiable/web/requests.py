"""Request helpers shared by every app's pages (and admin actions): who is acting,
whether htmx asked for a fragment, a visible case or a 404, and a service's error
mapped back onto the form that caused it."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.http import Http404, HttpRequest

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.cases.selectors import case_get
from amiable.core.errors import ApplicationError, NotFoundError


def request_actor(request: HttpRequest) -> User:
    """The signed-in staff member (views are behind ``login_required``, admin pages
    behind the admin's own login)."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees it
    return user


def is_htmx(request: HttpRequest) -> bool:
    """True when htmx sent the request (django-htmx sets ``request.htmx``)."""
    return bool(getattr(request, "htmx", False))


def case_or_404(actor: User, pk: int) -> Case:
    """A case the actor may see, else 404 (never reveals that it exists)."""
    try:
        return case_get(actor=actor, case_id=pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


def form_apply_error(
    form: forms.Form,
    exc: ApplicationError,
    *,
    aliases: Mapping[str, str] | None = None,
    value_field_by_kind: Mapping[str, str] | None = None,
) -> None:
    """Show a service's error on ``form``: its message on top, each field's messages
    on the field of that name (or its alias), except ``version`` (a conflict is
    shown by the page itself). An identity error (``extra["kind"]``, its messages
    under ``value``) lands on the form's field for that kind of identity, from
    ``value_field_by_kind`` (``{"phone": "new_phone"}``)."""
    names = dict(aliases or {})
    kind_field = (value_field_by_kind or {}).get(str(exc.extra.get("kind", "")))
    if kind_field is not None:
        names["value"] = kind_field
    form.add_error(None, exc.message)
    for field, errors in exc.fields.items():
        name = names.get(field, field)
        if name in form.fields and name != "version":
            form.add_error(name, errors)
