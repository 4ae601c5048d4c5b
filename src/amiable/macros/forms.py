"""Web forms of macros: shape only; the services own the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from amiable.cases.models import CasePriority, CaseStatus
from amiable.cases.selectors import custom_field_list
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
    add_tags = forms.CharField(
        label=_("Tags to add"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas."),
    )
    set_field_key = forms.ChoiceField(
        label=_("Custom field to set"), required=False, choices=[]
    )
    set_field_value = forms.CharField(
        label=_("Its value"),
        required=False,
        max_length=200,
        help_text=_("Numbers as 12.5, dates as YYYY-MM-DD."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def clean_promise_days(self) -> int:
        return int(self.cleaned_data.get("promise_days") or 0)

    def __init__(
        self, *args: object, scopes: list[tuple[str, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["scope"].choices = scopes  # type: ignore[attr-defined]
        language = get_language() or "fr"
        self.fields["set_field_key"].choices = [  # type: ignore[attr-defined]
            ("", _("None")),
            *(
                (field.key, field.label_in(language))
                for field in custom_field_list(actor=None)
            ),
        ]


class MacroApplyForm(forms.Form):
    version = forms.IntegerField(min_value=1)
