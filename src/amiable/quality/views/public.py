"""The public confirmation page, reached from the link in the email (no login).

A GET only shows the question (mail scanners follow links): nothing is recorded
until the customer presses the button, a POST protected by Django's CSRF cookie,
which the GET sets without any session. Pages are in the customer's language,
never cached and never indexed.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_http_methods

from amiable.core.access import SIGNED, access
from amiable.core.clock import now
from amiable.core.errors import ValidationError
from amiable.quality.errors import ConfirmationAnsweredError, ConfirmationClosedError
from amiable.quality.forms import ConfirmationForm
from amiable.quality.models import ConfirmationStatus, ResolutionConfirmation
from amiable.quality.selectors import confirmation_from_token
from amiable.quality.services import confirmation_answer
from amiable.quality.signing import TokenState

PRIVATE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
    # Not "no-referrer": browsers would then send "Origin: null" with the POST and
    # Django's CSRF check would refuse it. same-origin keeps the token to us.
    "Referrer-Policy": "same-origin",
}


def _public(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    language: str | None,
    status: int = 200,
) -> HttpResponse:
    language = language or translation.get_language() or "fr"
    with translation.override(language):
        body = render_to_string(
            template, {**context, "page_language": language}, request=request
        )
    response = HttpResponse(body, status=status)
    response["Content-Language"] = language
    for header, value in PRIVATE_HEADERS.items():
        response[header] = value
    return response


def _closed(
    request: HttpRequest, confirmation: ResolutionConfirmation | None, reason: str
) -> HttpResponse:
    language = confirmation.language if confirmation is not None else None
    return _public(
        request,
        "quality/public/closed.html",
        {"reason": reason},
        language=language,
        status=410,
    )


def _answered(
    request: HttpRequest, confirmation: ResolutionConfirmation, status: int
) -> HttpResponse:
    return _public(
        request,
        "quality/public/thanks.html",
        {"confirmation": confirmation, "case": confirmation.case, "already": True},
        language=confirmation.language,
        status=status,
    )


def _form_page(
    request: HttpRequest,
    confirmation: ResolutionConfirmation,
    form: ConfirmationForm,
    status: int = 200,
) -> HttpResponse:
    context = {
        "confirmation": confirmation,
        "case": confirmation.case,
        "form": form,
        "customer_first_name": confirmation.customer.name.split(" ")[0],
    }
    return _public(
        request,
        "quality/public/confirm.html",
        context,
        language=confirmation.language,
        status=status,
    )


@access(SIGNED)
@ensure_csrf_cookie
@require_http_methods(["GET", "HEAD", "POST"])
def confirmation_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET: the question, "yes" or "no" pre-selected from the link (records
    nothing). POST: record the one answer, then the thank-you page."""
    link = confirmation_from_token(token)
    confirmation = link.confirmation
    if link.state == TokenState.INVALID or confirmation is None:
        return _public(
            request, "quality/public/invalid.html", {}, language=None, status=404
        )
    if confirmation.answered_at is not None:
        return _answered(
            request, confirmation, 409 if request.method == "POST" else 200
        )
    if (
        link.state == TokenState.EXPIRED
        or confirmation.status == ConfirmationStatus.SUPERSEDED
        or now() > confirmation.expires_at
    ):
        return _closed(request, confirmation, confirmation.status)
    if request.method != "POST":
        answer = request.GET.get("answer", "")
        initial = {"answer": answer} if answer in {"yes", "no"} else {}
        return _form_page(request, confirmation, ConfirmationForm(initial=initial))
    form = ConfirmationForm(request.POST)
    if not form.is_valid():
        return _form_page(request, confirmation, form, status=422)
    try:
        confirmation_answer(
            confirmation=confirmation,
            is_solved=form.cleaned_data["answer"] == "yes",
            first_contact=form.cleaned_data["first_contact"],
            comment=form.cleaned_data["comment"],
        )
    except ConfirmationAnsweredError:
        confirmation.refresh_from_db()
        return _answered(request, confirmation, 409)
    except ConfirmationClosedError as exc:
        return _closed(request, confirmation, exc.message)
    except ValidationError as exc:
        for field, errors in exc.fields.items():
            form.add_error(field if field in form.fields else None, errors)
        return _form_page(request, confirmation, form, status=422)
    return HttpResponseRedirect(reverse("quality_public:thanks", args=[token]))


@access(SIGNED)
@require_GET
def confirmation_thanks_view(request: HttpRequest, token: str) -> HttpResponse:
    link = confirmation_from_token(token)
    confirmation = link.confirmation
    if link.state == TokenState.INVALID or confirmation is None:
        return _public(
            request, "quality/public/invalid.html", {}, language=None, status=404
        )
    if confirmation.answered_at is None:
        return HttpResponseRedirect(reverse("quality_public:confirm", args=[token]))
    return _public(
        request,
        "quality/public/thanks.html",
        {"confirmation": confirmation, "case": confirmation.case, "already": False},
        language=confirmation.language,
    )
