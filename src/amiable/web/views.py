"""Authentication pages and the home redirect."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect


def home_view(request: HttpRequest) -> HttpResponseRedirect:
    """The home page is the case inbox."""
    return redirect("cases:inbox")


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST-only logout (Django refuses GET), then back to the login page."""
