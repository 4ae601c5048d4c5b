"""Web forms of tags and custom fields: the case page's side panel (tags and one
control per active custom field) and the administrators' field definition. Shape
only; the services check the values by type."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from amiable.cases.forms import VersionedForm
from amiable.cases.models import CustomField, CustomFieldKind

FIELD_PREFIX = "cf_"


def split_tags(text: str) -> list[str]:
    """Tag names typed separated by commas."""
    return [name.strip() for name in text.split(",") if name.strip()]


class CaseClassifyForm(VersionedForm):
    """The case's tags (comma-separated) and a control per custom field, named
    ``cf_<key>``; a number or date is kept as typed until the service checks it."""

    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=2000,
        help_text=_("Separated by commas."),
        widget=forms.TextInput(attrs={"list": "known-tags", "autocomplete": "off"}),
    )

    def __init__(
        self, *args: Any, definitions: Sequence[CustomField] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        language = get_language() or "fr"
        self.definitions = list(definitions)
        for field in self.definitions:
            label = field.label_in(language)
            control: forms.Field
            if field.kind == CustomFieldKind.CHOICE:
                control = forms.ChoiceField(
                    label=label,
                    required=False,
                    choices=[("", "—"), *((c, c) for c in field.choices)],
                )
            elif field.kind == CustomFieldKind.DATE:
                control = forms.CharField(
                    label=label,
                    required=False,
                    max_length=10,
                    widget=forms.DateInput(attrs={"type": "date"}),
                )
            elif field.kind == CustomFieldKind.NUMBER:
                control = forms.CharField(
                    label=label,
                    required=False,
                    max_length=40,
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                )
            else:
                control = forms.CharField(label=label, required=False, max_length=200)
            self.fields[FIELD_PREFIX + field.key] = control

    def field_values(self) -> dict[str, str]:
        """The values posted, by custom field key ("" clears)."""
        return {
            field.key: self.cleaned_data.get(FIELD_PREFIX + field.key) or ""
            for field in self.definitions
        }

    def custom_controls(self) -> list[forms.BoundField]:
        return [self[FIELD_PREFIX + field.key] for field in self.definitions]


class CustomFieldForm(forms.Form):
    key = forms.SlugField(
        label=_("Key"),
        max_length=40,
        help_text=_("Used by the API and filters; cannot change later."),
    )
    label_fr = forms.CharField(label=_("Label in French"), max_length=80)
    label_en = forms.CharField(label=_("Label in English"), max_length=80)
    kind = forms.ChoiceField(label=_("Type"), choices=CustomFieldKind.choices)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a choice field: one per line."),
    )
    position = forms.IntegerField(
        label=_("Position"), min_value=0, max_value=1_000_000, initial=100
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def clean_choices(self) -> list[str]:
        text = self.cleaned_data.get("choices") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]
