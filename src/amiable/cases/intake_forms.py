"""The form of a case opened by an agent for a call, a letter or a walk-in (shape
only; ``cases.services.case_open_for_contact`` owns the rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amiable.cases.forms import MAX_BODY
from amiable.cases.models import CaseKind
from amiable.conversations.models import Channel
from amiable.customers.models import CustomerKind

CHANNEL_CHOICES = [
    (Channel.PHONE.value, _("Phone call")),
    (Channel.LETTER.value, _("Letter")),
    (Channel.IN_PERSON.value, _("In person")),
]
LANGUAGE_CHOICES = [("fr", _("In French")), ("en", _("In English"))]
# Where the services' field names land on this form.
FIELD_ALIASES = {
    "customer_id": "customer",
    "name": "new_name",
    "preferred_language": "new_language",
    "order_ids": "order_ref",
}
IDENTITY_FIELDS = {"email": "new_email", "phone": "new_phone"}


class CaseIntakeForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How did the customer contact us?"),
        choices=CHANNEL_CHOICES,
        initial=Channel.PHONE.value,
        widget=forms.RadioSelect,
    )
    lookup = forms.CharField(
        label=_("Find the customer"),
        max_length=200,
        required=False,
        help_text=_("Email, phone number in any format, or name."),
    )
    customer = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    new_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    new_kind = forms.ChoiceField(
        label=_("Kind"), choices=CustomerKind.choices, initial=CustomerKind.PERSON
    )
    new_language = forms.ChoiceField(
        label=_("Language of our messages"), choices=LANGUAGE_CHOICES, initial="fr"
    )
    new_email = forms.CharField(label=_("Email"), max_length=254, required=False)
    new_phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        help_text=_("Any format: 06 12 34 56 78, +33 6 12 34 56 78, 0033…"),
    )
    subject = forms.CharField(label=_("Subject"), max_length=255)
    kind = forms.ChoiceField(
        label=_("Kind of case"), choices=CaseKind.choices, initial=CaseKind.QUESTION
    )
    body_text = forms.CharField(
        label=_("What the customer said (call summary, letter, visit)"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    order_ref = forms.CharField(
        label=_("Order number (optional)"), max_length=64, required=False
    )
    assign_to_me = forms.BooleanField(
        label=_("Assign the case to me"), required=False, initial=True
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("customer") and not (data.get("new_name") or "").strip():
            self.add_error(
                "new_name",
                _("Pick a customer found above, or give the new customer's name."),
            )
        return data
