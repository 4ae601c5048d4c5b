"""Authentication pages and the home redirect.

Signing in is two steps when the user turned two-step verification on: the
password (throttled, ``SignInForm``), then a code from their authenticator app or
a recovery code. Between the two, the session holds only the pending user's id
for a few minutes; nobody is signed in until the code is right.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amiable.accounts.models import User
from amiable.accounts.selectors import (
    signin_lock_find,
    two_factor_is_on,
    two_factor_is_required,
)
from amiable.accounts.services import (
    signin_failure_record,
    signin_success_record,
    two_factor_check,
)
from amiable.core.access import PUBLIC, access
from amiable.core.client_address import client_address
from amiable.core.clock import now
from amiable.web.forms import CodeForm, SignInForm
from amiable.web.middleware import ENROL_REQUIRED

PENDING_USER = "signin_pending_user"
PENDING_SINCE = "signin_pending_since"
PENDING_NEXT = "signin_pending_next"


@access(PUBLIC)
def home_view(request: HttpRequest) -> HttpResponseRedirect:
    """The home page is the case inbox."""
    return redirect("cases:inbox")


def _sign_in(request: HttpRequest, user: User) -> None:
    auth_login(request, user)
    if two_factor_is_required(user) and not two_factor_is_on(user):
        request.session[ENROL_REQUIRED] = True


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True
    authentication_form = SignInForm

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        signin_success_record(user=user, address=client_address(self.request))
        if not two_factor_is_on(user):
            _sign_in(self.request, user)
            return HttpResponseRedirect(self.get_success_url())
        self.request.session.cycle_key()
        self.request.session[PENDING_USER] = user.pk
        self.request.session[PENDING_SINCE] = now().isoformat()
        self.request.session[PENDING_NEXT] = self.get_success_url()
        return redirect("web:signin_verify")


def _pending_user(request: HttpRequest) -> User | None:
    user_id = request.session.get(PENDING_USER)
    since = request.session.get(PENDING_SINCE)
    if not isinstance(user_id, int) or not isinstance(since, str):
        return None
    limit = dt.timedelta(minutes=int(settings.TWO_FACTOR_PENDING_MINUTES))
    if dt.datetime.fromisoformat(since) + limit < now():
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


@access(PUBLIC)
@require_http_methods(["GET", "POST"])
def signin_verify_view(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app or a recovery code."""
    user = _pending_user(request)
    if user is None:
        messages.error(request, _("Your sign-in took too long. Start again."))
        return redirect("web:login")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        address = client_address(request)
        lock = signin_lock_find(username=user.get_username(), address=address)
        if lock is None and two_factor_check(user=user, code=form.cleaned_data["code"]):
            next_url = str(
                request.session.get(PENDING_NEXT) or settings.LOGIN_REDIRECT_URL
            )
            _sign_in(request, user)
            return redirect(next_url)
        if lock is None:
            signin_failure_record(username=user.get_username(), address=address)
            form.add_error("code", _("This code is wrong or was already used."))
        else:
            form.add_error(None, _("Too many wrong attempts: try again later."))
        status = 422
    elif request.method == "POST":
        status = 422
    return render(request, "web/signin_verify.html", {"form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def admin_login_view(request: HttpRequest) -> HttpResponseRedirect:
    """The admin's login page leads to ours (with its ``next``), so nobody signs
    in around the throttle and two-step verification. Someone signed in already
    lands here only when the admin refused them: 403, not a redirection loop."""
    if request.user.is_authenticated:
        raise PermissionDenied
    query = request.GET.urlencode()
    return redirect(reverse("web:login") + (f"?{query}" if query else ""))


class LogoutView(auth_views.LogoutView):
    """POST-only logout (Django refuses GET), then back to the login page."""
