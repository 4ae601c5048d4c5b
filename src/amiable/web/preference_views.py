"""The staff member's own preferences, on their account page: notifications by
e-mail."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amiable.accounts.services import user_notify_by_email_set
from amiable.core.access import STAFF, access
from amiable.web.requests import request_actor as _actor


@access(STAFF)
@login_required
@require_POST
def account_notifications_view(request: HttpRequest) -> HttpResponse:
    """Turn one's notifications by e-mail on (``notify_by_email`` ticked) or off."""
    actor = user_notify_by_email_set(
        actor=_actor(request), is_on=request.POST.get("notify_by_email") == "on"
    )
    if actor.notify_by_email:
        messages.success(request, _("Your notifications will also come by e-mail."))
    else:
        messages.success(
            request, _("Your notifications will no longer come by e-mail.")
        )
    return redirect("web:account_security")
