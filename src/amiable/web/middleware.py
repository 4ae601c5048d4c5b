"""Staff whose role must use two-step verification set it up before anything else."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

ENROL_REQUIRED = "two_factor_enrol_required"


class TwoFactorEnrolmentMiddleware:
    """While the session says so (set at sign-in from the role's setting), every
    page but the security pages, sign-out, static files and the language switch
    leads to the security page. No query per request: the flag is in the session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.get(ENROL_REQUIRED):
            allowed = (
                reverse("web:account_security"),
                reverse("web:logout"),
                reverse("set_language"),
                "/static/",
            )
            if not request.path.startswith(allowed):
                return redirect("web:account_security")
        return self.get_response(request)
