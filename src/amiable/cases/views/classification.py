"""Tags and custom fields on the web: the case page's side-panel form, and the
administrators' settings page where custom fields are defined."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amiable.accounts.models import User
from amiable.accounts.permissions import can_manage_catalog
from amiable.cases.classification_forms import (
    FIELD_PREFIX,
    CaseClassifyForm,
    CustomFieldForm,
    split_tags,
)
from amiable.cases.models import Case, CustomField
from amiable.cases.selectors import (
    case_field_values,
    custom_field_list,
    custom_field_list_active,
    tag_names_in_use,
)
from amiable.cases.services import case_classify, custom_field_save
from amiable.core.access import ADMIN, TEAM, access
from amiable.core.errors import ApplicationError, VersionConflictError
from amiable.web.requests import case_or_404, form_apply_error, is_htmx
from amiable.web.requests import request_actor as _actor


def classify_context(
    actor: User, case: Case, bound: CaseClassifyForm | None = None
) -> dict[str, Any]:
    """What the side panel shows: the case's tags, its values and the form."""
    language = get_language() or "fr"
    definitions = custom_field_list_active(actor=actor)
    tags = sorted(tag.name for tag in case.tags.all())
    values = case_field_values(case=case, fields=definitions)
    initial: dict[str, Any] = {"version": case.version, "tags": ", ".join(tags)}
    initial |= {FIELD_PREFIX + item.field.key: item.value for item in values}
    form = bound or CaseClassifyForm(
        initial=initial, definitions=definitions, auto_id="classify_%s"
    )
    return {
        "classify_form": form,
        "case_tags": tags,
        "case_field_values": [
            (item.field.label_in(language), item.value) for item in values if item.value
        ],
        "known_tags": tag_names_in_use(actor=actor),
    }


@access(TEAM)
@login_required
@require_POST
def case_classify_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Set the case's tags and custom field values from the side panel; a refused
    value comes back beside its control, with what was typed."""
    # The case page's helpers: one answer shape for every side-panel form.
    from amiable.cases.views.detail import _failed
    from amiable.cases.views.page_context import detail_context

    actor = _actor(request)
    case = case_or_404(actor, pk)
    form = CaseClassifyForm(
        request.POST,
        definitions=list(custom_field_list(actor=actor)),
        auto_id="classify_%s",
    )
    if not form.is_valid():
        return _failed(request, actor, case, "classify", form, status=422)
    try:
        case_classify(
            actor=actor,
            case=case,
            expected_version=form.cleaned_data["version"],
            tags=split_tags(form.cleaned_data["tags"]),
            fields=form.field_values(),
        )
    except ApplicationError as exc:
        aliases = {
            f"custom_fields.{d.key}": FIELD_PREFIX + d.key for d in form.definitions
        }
        form_apply_error(form, exc, aliases=aliases)
        return _failed(
            request,
            actor,
            case,
            "classify",
            form,
            status=exc.status,
            conflict=isinstance(exc, VersionConflictError),
        )
    notice = _("Tags and fields saved.")
    if is_htmx(request):
        fresh = case_or_404(actor, pk)
        context = detail_context(actor, fresh) | {"notice": notice}
        return render(request, "cases/detail.html#workspace", context)
    messages.success(request, notice)
    return redirect("cases:detail", pk=pk)


def _administrator(request: HttpRequest) -> User:
    actor = _actor(request)
    if not can_manage_catalog(actor):
        raise PermissionDenied(_("Only administrators define custom fields."))
    return actor


def _settings_page(
    request: HttpRequest,
    form: CustomFieldForm,
    field: CustomField | None,
    status: int = 200,
) -> HttpResponse:
    actor = _actor(request)
    return render(
        request,
        "cases/custom_fields.html",
        {
            "form": form,
            "editing": field,
            "fields": custom_field_list(actor=actor, active_only=False),
            "language": get_language() or "fr",
        },
        status=status,
    )


def _save(
    request: HttpRequest, actor: User, form: CustomFieldForm, field: CustomField | None
) -> HttpResponse:
    if not form.is_valid():
        return _settings_page(request, form, field, status=422)
    try:
        saved = custom_field_save(actor=actor, field=field, **form.cleaned_data)
    except ApplicationError as exc:
        form_apply_error(form, exc)
        return _settings_page(request, form, field, status=exc.status)
    messages.success(request, _("Custom field “%(key)s” saved.") % {"key": saved.key})
    return redirect("cases:custom_fields")


@access(ADMIN)
@login_required
@require_http_methods(["GET", "POST"])
def custom_field_list_view(request: HttpRequest) -> HttpResponse:
    """The custom fields of cases, and a form to define one."""
    actor = _administrator(request)
    if request.method == "GET":
        return _settings_page(request, CustomFieldForm(), None)
    return _save(request, actor, CustomFieldForm(request.POST), None)


@access(ADMIN)
@login_required
@require_http_methods(["GET", "POST"])
def custom_field_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a custom field's labels, choices, position or activity."""
    actor = _administrator(request)
    field = custom_field_list(actor=actor, active_only=False).filter(pk=pk).first()
    if field is None:
        raise Http404(_("No such custom field."))
    initial = {
        "key": field.key,
        "label_fr": field.label_fr,
        "label_en": field.label_en,
        "kind": field.kind,
        "choices": "\n".join(field.choices),
        "position": field.position,
        "is_active": field.is_active,
    }
    data = request.POST if request.method == "POST" else None
    form = CustomFieldForm(data, initial=initial)
    # Values are stored by key and checked by type: neither changes.
    form.fields["key"].disabled = form.fields["kind"].disabled = True
    if data is None:
        return _settings_page(request, form, field)
    return _save(request, actor, form, field)
