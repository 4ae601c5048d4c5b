"""The composer's preview (the email as the customer will read it: sender,
copies, text with the signatures, without sending or writing anything) and
forwarding messages to a third party."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amiable.accounts.models import User
from amiable.cases.forms import MAX_BODY
from amiable.cases.models import Case
from amiable.cases.selectors import case_reply_sender
from amiable.cases.services import case_forward, reply_draft_save
from amiable.cases.views.detail import _act
from amiable.conversations.attachments import attachments_from_uploads
from amiable.conversations.delivery import EmailDraft, email_bodies
from amiable.conversations.markdown import markdown_html
from amiable.core.access import TEAM, access
from amiable.core.errors import ApplicationError
from amiable.core.form_fields import EmailListField
from amiable.web.requests import case_or_404, request_actor


class PreviewForm(forms.Form):
    body = forms.CharField(max_length=MAX_BODY, required=False, strip=False)
    cc = EmailListField(required=False)
    bcc = EmailListField(required=False)
    is_markdown = forms.BooleanField(required=False)


@access(TEAM)
@login_required
@require_POST
def case_reply_preview_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The reply being written, rendered as its email (htmx fragment)."""
    user = request_actor(request)
    case = case_or_404(user, pk)
    form = PreviewForm(request.POST)
    form.is_valid()  # an invalid address is shown as an error, the text still is
    data = form.cleaned_data
    sender = case_reply_sender(case=case)
    subject = f"[{case.reference}] {case.subject}"
    body = data.get("body", "")
    formatted = markdown_html(body) if data.get("is_markdown") else ""
    text, _html = email_bodies(
        EmailDraft(
            body_text=body,
            body_html=formatted,
            language=case.customer.preferred_language,
            author=user,
            reference=case.reference,
            subject=subject,
            mailbox_signature=sender.signature if sender else "",
        )
    )
    context = {
        "form": form,
        "sender": sender,
        "default_sender": settings.DEFAULT_FROM_EMAIL,
        "subject": subject,
        "text": text,
        "formatted": formatted,
    }
    return render(request, "cases/partials/reply_preview.html", context)


def _forward(actor: User, case: Case, data: dict[str, Any]) -> str:
    case_forward(
        actor=actor,
        case=case,
        to=data["to"],
        subject=data["subject"],
        body_text=data["body"],
        interaction_ids=data["messages"],
        attachments=attachments_from_uploads(data["attachments"]),
        expected_version=data["version"],
    )
    return _("Forwarded to %(to)s.") % {"to": ", ".join(data["to"])}


@access(TEAM)
@login_required
@require_POST
def case_forward_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Forward chosen messages, or a written one, to a carrier or a warehouse."""
    return _act(request, pk, "forward", _forward)


class DraftForm(forms.Form):
    body = forms.CharField(max_length=MAX_BODY, required=False, strip=False)
    cc = forms.CharField(max_length=2000, required=False)
    bcc = forms.CharField(max_length=2000, required=False)
    channel = forms.CharField(max_length=10, required=False)


@access(TEAM)
@login_required
@require_POST
def case_reply_draft_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Autosave of the reply being written (htmx, debounced): kept per agent and
    case on the server, so another device finds it. Answers a short status."""
    user = request_actor(request)
    case = case_or_404(user, pk)
    form = DraftForm(request.POST)
    saved_at = None
    error = ""
    if not form.is_valid():
        error = _("The draft could not be kept.")
    else:
        try:
            draft = reply_draft_save(actor=user, case=case, **form.cleaned_data)
        except ApplicationError as exc:
            error = exc.message
        else:
            saved_at = timezone.localtime() if draft is not None else None
    context = {"saved_at": saved_at, "error": error}
    status = 422 if error else 200
    return render(request, "cases/partials/draft_status.html", context, status=status)
