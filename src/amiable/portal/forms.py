"""Forms of the customer portal (shape only; the services own the rules)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from amiable.core.form_fields import MultipleFileField


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )


class CodeForm(forms.Form):
    email = forms.EmailField(max_length=254, widget=forms.HiddenInput)
    code = forms.RegexField(
        label=_("The 6-digit code we sent you"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        error_messages={"invalid": _("Six digits.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]{6,12}",
            }
        ),
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=20_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    attachments = MultipleFileField(
        label=_("Attach files (photos, PDF…)"), required=False
    )


class NewRequestForm(forms.Form):
    """A new request: a topic, maybe one of the customer's orders, a message."""

    topic = forms.ChoiceField(label=_("What is it about?"), choices=())
    order = forms.TypedChoiceField(
        label=_("Which order? (optional)"),
        choices=(),
        coerce=int,
        required=False,
        empty_value=None,
    )
    body = forms.CharField(
        label=_("Your message"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachments = MultipleFileField(
        label=_("Attach files (photos, PDF…)"), required=False
    )

    def __init__(
        self,
        *args: Any,
        topics: list[tuple[str, Any]],
        orders: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        topic = cast(forms.ChoiceField, self.fields["topic"])
        topic.choices = [("", _("Choose…")), *topics]
        order = cast(forms.TypedChoiceField, self.fields["order"])
        order.choices = [("", _("No particular order")), *orders]
