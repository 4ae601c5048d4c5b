"""Staff pages of the inbound channels: online reviews and their public replies, and
the full original of an email whose quotes were cut."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amiable.core.access import STAFF, TEAM, access
from amiable.core.errors import ApplicationError, NotFoundError
from amiable.core.pagination import paginate
from amiable.inbound.forms import ReviewReplyForm
from amiable.inbound.selectors import (
    inbound_email_for_interaction,
    inbound_email_source,
    review_get,
    review_list,
)
from amiable.inbound.services import review_reply_draft_save, review_reply_publish
from amiable.web.requests import request_actor

MAX_RAW_SHOWN = 200_000


@access(STAFF)
@login_required
@require_GET
def review_list_view(request: HttpRequest) -> HttpResponse:
    """Online reviews, the ones waiting for a public reply first."""
    actor = request_actor(request)
    unanswered = request.GET.get("unanswered") == "1"
    page = paginate(
        review_list(actor=actor, unanswered_only=unanswered).select_related(
            "interaction"
        ),
        ordering=("-created_at", "-id"),
        limit=25,
        cursor=request.GET.get("cursor") or None,
    )
    return render(
        request,
        "inbound/reviews.html",
        {"page": page, "unanswered": unanswered, "form": ReviewReplyForm()},
    )


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return "inbound:reviews"


@access(TEAM)
@login_required
@require_POST
def review_reply_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the draft of the public reply, or record it as published."""
    actor = request_actor(request)
    try:
        review = review_get(actor=actor, review_id=pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    form = ReviewReplyForm(request.POST)
    if not form.is_valid():
        # The typed reply is kept: the review is shown again with it and the errors.
        return render(
            request,
            "inbound/review_reply.html",
            {
                "review": review,
                "form": form,
                "next": resolve_url(_back(request)),
                "reply_text": request.POST.get("text", ""),
                "reply_url": request.POST.get("public_url", ""),
            },
            status=422,
        )
    try:
        if form.cleaned_data["action"] == "publish":
            review_reply_publish(
                actor=actor,
                review=review,
                text=form.cleaned_data["text"],
                public_url=form.cleaned_data["public_url"],
            )
            messages.success(request, _("The public reply is recorded as published."))
        else:
            review_reply_draft_save(
                actor=actor, review=review, text=form.cleaned_data["text"]
            )
            messages.success(request, _("Draft saved."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(_back(request))


@access(TEAM)
@login_required
@require_GET
def email_original_view(request: HttpRequest, interaction_id: int) -> HttpResponse:
    """The whole email behind an interaction: headers and full text, as received."""
    actor = request_actor(request)
    try:
        email = inbound_email_for_interaction(
            actor=actor, interaction_id=interaction_id
        )
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    return render(
        request,
        "inbound/original.html",
        {
            "email": email,
            "interaction": email.interaction,
            "source": inbound_email_source(email=email, limit=MAX_RAW_SHOWN),
            "is_cut": email.raw_size > MAX_RAW_SHOWN,
        },
    )
