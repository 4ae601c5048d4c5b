"""Web forms of macros: shape only; the services own the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from amiable.cases.models import CasePriority, CaseStatus
from amiable.macros.services import MACRO_STATUSES

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
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(
        self, *args: object, scopes: list[tuple[str, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["scope"].choices = scopes  # type: ignore[attr-defined]


class MacroApplyForm(forms.Form):
    version = forms.IntegerField(min_value=1)
