"""Web forms of macros: shape only; the services own the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from amiable.cases.models import CasePriority, CaseStatus
from amiable.macros.services import MACRO_STATUSES
from amiable.promises.models import PromiseKind

MAX_TEXT = 20_000


class MacroForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    scope = forms.ChoiceField(label=_("For"), choices=[])
    body_fr = forms.CharField(
        label=_("Text in French"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        strip=False,
    )
    body_en = forms.CharField(
        label=_("Text in English"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        strip=False,
    )
    set_status = forms.ChoiceField(
        label=_("Set the status to"),
        required=False,
        choices=[("", _("Leave it"))]
        + [(value, CaseStatus(value).label) for value in MACRO_STATUSES],
    )
    set_priority = forms.ChoiceField(
        label=_("Set the priority to"),
        required=False,
        choices=[("", _("Leave it")), *CasePriority.choices],
    )
    note = forms.CharField(
        label=_("Internal note to add"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        strip=False,
    )
    promise_kind = forms.ChoiceField(
        label=_("Make a promise"),
        required=False,
        choices=[("", _("No promise")), *PromiseKind.choices],
    )
    promise_text = forms.CharField(
        label=_("What is promised"),
        required=False,
        max_length=500,
        help_text=_("Variables allowed, e.g. the order number."),
    )
    promise_days = forms.IntegerField(
        label=_("Due in (days)"), required=False, min_value=0, max_value=365
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def clean_promise_days(self) -> int:
        return int(self.cleaned_data.get("promise_days") or 0)

    def __init__(
        self, *args: object, scopes: list[tuple[str, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["scope"].choices = scopes  # type: ignore[attr-defined]


class MacroApplyForm(forms.Form):
    version = forms.IntegerField(min_value=1)
