"""The staff member's own security page: two-step verification (set up, recovery
codes, turn off) and « sign out everywhere »."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amiable.accounts.models import TotpDevice
from amiable.accounts.selectors import (
    recovery_codes_left,
    totp_device_pending,
    two_factor_is_on,
    two_factor_is_required,
)
from amiable.accounts.services import (
    recovery_codes_regenerate,
    totp_enrol_confirm,
    totp_enrol_start,
    two_factor_check,
    two_factor_disable,
    user_sessions_end,
)
from amiable.accounts.services.two_factor import totp_provisioning_uri
from amiable.core.access import STAFF, access
from amiable.core.errors import ApplicationError
from amiable.web.forms import CodeForm
from amiable.web.middleware import ENROL_REQUIRED
from amiable.web.requests import request_actor as _actor


def _security_page(
    request: HttpRequest, *, form: CodeForm | None = None, status: int = 200
) -> HttpResponse:
    actor = _actor(request)
    is_on = two_factor_is_on(actor)
    return render(
        request,
        "web/account/security.html",
        {
            "is_on": is_on,
            "is_required": two_factor_is_required(actor),
            "codes_left": recovery_codes_left(actor) if is_on else 0,
            "form": form or CodeForm(),
        },
        status=status,
    )


@access(STAFF)
@login_required
@require_GET
def account_security_view(request: HttpRequest) -> HttpResponse:
    return _security_page(request)


def _enrol_page(
    request: HttpRequest, device: TotpDevice, form: CodeForm, status: int = 200
) -> HttpResponse:
    uri = totp_provisioning_uri(device)
    return render(
        request,
        "web/account/enrol.html",
        {
            "secret": device.secret,
            "uri": uri,
            "qr_code": segno.make(uri, error="m").svg_data_uri(scale=5),
            "form": form,
        },
        status=status,
    )


@access(STAFF)
@login_required
@require_POST
def two_factor_enrol_view(request: HttpRequest) -> HttpResponse:
    """Start the set-up: a new secret for the app, shown with its QR code."""
    try:
        device = totp_enrol_start(actor=_actor(request))
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("web:account_security")
    return _enrol_page(request, device, CodeForm())


@access(STAFF)
@login_required
@require_POST
def two_factor_confirm_view(request: HttpRequest) -> HttpResponse:
    """The first code from the app turns verification on; recovery codes shown."""
    actor = _actor(request)
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            codes = totp_enrol_confirm(actor=actor, code=form.cleaned_data["code"])
        except ApplicationError as exc:
            form.add_error("code", exc.message)
        else:
            request.session.pop(ENROL_REQUIRED, None)
            return render(request, "web/account/recovery_codes.html", {"codes": codes})
    device = totp_device_pending(actor)
    if device is None:
        return redirect("web:account_security")
    return _enrol_page(request, device, form, status=422)


@access(STAFF)
@login_required
@require_POST
def recovery_codes_view(request: HttpRequest) -> HttpResponse:
    try:
        codes = recovery_codes_regenerate(actor=_actor(request))
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("web:account_security")
    return render(request, "web/account/recovery_codes.html", {"codes": codes})


@access(STAFF)
@login_required
@require_POST
def two_factor_disable_view(request: HttpRequest) -> HttpResponse:
    """Turn verification off with a current code (not when the role requires it)."""
    actor = _actor(request)
    form = CodeForm(request.POST)
    if two_factor_is_required(actor):
        messages.error(request, _("Your role requires two-step verification."))
        return redirect("web:account_security")
    if form.is_valid() and two_factor_check(user=actor, code=form.cleaned_data["code"]):
        two_factor_disable(actor=actor, user=actor)
        messages.success(request, _("Two-step verification is off."))
        return redirect("web:account_security")
    if form.is_valid():
        form.add_error("code", _("This code is wrong or was already used."))
    return _security_page(request, form=form, status=422)


@access(STAFF)
@login_required
@require_POST
def sessions_end_view(request: HttpRequest) -> HttpResponse:
    """« Sign out everywhere »: this browser and every other one."""
    user_sessions_end(actor=_actor(request), user=_actor(request))
    logout(request)
    messages.success(request, _("You were signed out on every device."))
    return redirect("web:login")
