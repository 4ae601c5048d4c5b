"""The signed-in user's notifications: a keyset-paginated list, marking them read."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from amiable.core.access import STAFF, access
from amiable.core.errors import ApplicationError
from amiable.core.pagination import paginate
from amiable.notifications.selectors import notification_list
from amiable.notifications.services import (
    notification_mark_all_read,
    notification_mark_read,
)

PAGE_SIZE = 25
ORDERING = ("-created_at", "-id")


class ListForm(forms.Form):
    unread = forms.BooleanField(label=_("Unread only"), required=False)
    cursor = forms.CharField(required=False, max_length=1000)


class MarkReadForm(forms.Form):
    notification = forms.IntegerField(required=False, min_value=1)
    all = forms.BooleanField(required=False)
    next = forms.CharField(required=False, max_length=500)


@access(STAFF)
@login_required
@require_GET
def notification_list_view(request: HttpRequest) -> HttpResponse:
    form = ListForm(request.GET)
    form.is_valid()
    queryset = notification_list(
        actor=request.user,  # type: ignore[arg-type]
        unread_only=bool(form.cleaned_data.get("unread")),
    )
    errors: list[str] = []
    cursor = form.cleaned_data.get("cursor") or None
    try:
        page = paginate(queryset, ordering=ORDERING, limit=PAGE_SIZE, cursor=cursor)
    except ApplicationError as exc:
        errors.append(exc.message)
        page = paginate(queryset, ordering=ORDERING, limit=PAGE_SIZE)
    return render(
        request,
        "notifications/list.html",
        {"page": page, "form": form, "errors": errors},
    )


@access(STAFF)
@login_required
@require_POST
def notification_mark_read_view(request: HttpRequest) -> HttpResponse:
    """Mark one (``notification``) or every (``all``) notification read, then go to
    ``next`` when it is one of our own paths, else back to the list."""
    form = MarkReadForm(request.POST)
    form.is_valid()
    actor = request.user
    if form.cleaned_data.get("all"):
        notification_mark_all_read(actor=actor)  # type: ignore[arg-type]
    elif form.cleaned_data.get("notification"):
        notification_mark_read(
            actor=actor,  # type: ignore[arg-type]
            notification_ids=[form.cleaned_data["notification"]],
        )
    target = form.cleaned_data.get("next") or ""
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("notifications:list")
