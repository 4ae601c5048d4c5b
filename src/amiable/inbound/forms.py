"""Forms of the inbound pages: the public reply to an online review."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ReviewReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Public reply"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    public_url = forms.URLField(
        label=_("Address of the published reply (optional)"),
        required=False,
        max_length=500,
        assume_scheme="https",
    )
    action = forms.ChoiceField(
        choices=[("draft", _("Save the draft")), ("publish", _("Published"))],
        widget=forms.HiddenInput,
        required=False,
    )
