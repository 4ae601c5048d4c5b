"""Staff forms of the customer pages: create, edit, add an identity or an address,
record a consent. Shapes only; the services check the business rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amiable.core.errors import ApplicationError
from amiable.customers.identities import normalize_email, normalize_phone
from amiable.customers.models import ConsentPurpose, CustomerKind, IdentityKind
from amiable.customers.services import AddressIn, IdentityIn

LANGUAGE_CHOICES = [("fr", _("In French")), ("en", _("In English"))]


class CustomerSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    cursor = forms.CharField(required=False, max_length=1000)


class CustomerForm(forms.Form):
    """The customer's own fields (editing, and the top of the creation form)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=CustomerKind.choices, initial=CustomerKind.PERSON
    )
    company_name = forms.CharField(
        label=_("Company name"), max_length=200, required=False
    )
    preferred_language = forms.ChoiceField(
        label=_("Language of our messages"), choices=LANGUAGE_CHOICES, initial="fr"
    )
    notes = forms.CharField(
        label=_("Notes"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def clean_email(value: str) -> str:
    """The normalised address, or a form error in the agent's words."""
    try:
        return normalize_email(value)
    except ApplicationError as exc:
        raise forms.ValidationError(exc.message) from exc


def clean_phone(value: str) -> str:
    """The E.164 number for any national or international spelling, or a form
    error saying why it is not one."""
    try:
        return normalize_phone(value)
    except ApplicationError as exc:
        hint = " ".join(str(message) for message in exc.fields.get("value", []))
        raise forms.ValidationError(f"{exc.message} {hint}".strip()) from exc


class ContactFieldsMixin(forms.Form):
    """Email, phone and postal address of a new customer (all optional)."""

    email = forms.CharField(label=_("Email"), max_length=254, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        help_text=_("Any format: 06 12 34 56 78, +33 6 12 34 56 78, 0033…"),
    )
    line1 = forms.CharField(label=_("Address"), max_length=200, required=False)
    line2 = forms.CharField(label=_("Address line 2"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    country = forms.CharField(
        label=_("Country"), max_length=2, min_length=2, initial="FR", required=False
    )

    def clean_email(self) -> str:
        value: str = self.cleaned_data.get("email", "").strip()
        return clean_email(value) if value else ""

    def clean_phone(self) -> str:
        value: str = self.cleaned_data.get("phone", "").strip()
        return clean_phone(value) if value else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parts = [data.get(name, "") for name in ("line1", "postal_code", "city")]
        if any(parts) and not all(parts):
            for name in ("line1", "postal_code", "city"):
                if not data.get(name):
                    self.add_error(name, _("Required for an address."))
        return data

    def identities(self) -> list[IdentityIn]:
        found = []
        if self.cleaned_data.get("email"):
            found.append(
                IdentityIn(kind=IdentityKind.EMAIL, value=self.cleaned_data["email"])
            )
        if self.cleaned_data.get("phone"):
            found.append(
                IdentityIn(kind=IdentityKind.PHONE, value=self.cleaned_data["phone"])
            )
        return found

    def address(self) -> AddressIn | None:
        data = self.cleaned_data
        if not data.get("line1"):
            return None
        return AddressIn(
            line1=data["line1"],
            line2=data.get("line2", ""),
            postal_code=data["postal_code"],
            city=data["city"],
            country=(data.get("country") or "FR").upper(),
        )


class CustomerCreateForm(CustomerForm, ContactFieldsMixin):
    """A new customer, with an email, a phone and an address if known."""


# The fields of a new customer's email and phone, for a service's identity error.
IDENTITY_FIELDS = {IdentityKind.EMAIL.value: "email", IdentityKind.PHONE.value: "phone"}


class IdentityForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (IdentityKind.EMAIL.value, _("Email")),
            (IdentityKind.PHONE.value, _("Phone")),
        ],
    )
    value = forms.CharField(label=_("Email or phone"), max_length=254)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        value = data.get("value", "").strip()
        if value and data.get("kind") == IdentityKind.PHONE:
            try:
                data["value"] = clean_phone(value)
            except forms.ValidationError as exc:
                self.add_error("value", exc)
        elif value and data.get("kind") == IdentityKind.EMAIL:
            try:
                data["value"] = clean_email(value)
            except forms.ValidationError as exc:
                self.add_error("value", exc)
        return data


class AddressForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=60, required=False)
    line1 = forms.CharField(label=_("Address"), max_length=200)
    line2 = forms.CharField(label=_("Address line 2"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20)
    city = forms.CharField(label=_("City"), max_length=100)
    country = forms.CharField(
        label=_("Country"), max_length=2, min_length=2, initial="FR"
    )
    is_default = forms.BooleanField(label=_("Default address"), required=False)


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    is_granted = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("true", _("Granted")), ("false", _("Withdrawn"))],
        coerce=lambda value: value == "true",
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=120,
        help_text=_("Where the customer said so, e.g. phone call of 12 March."),
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
