"""Web forms of the promise panels: shape only; the services own the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from amiable.promises.models import PromiseKind, PromiseState

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format=LOCAL_INPUT)


def _local_datetime(label: StrOrPromise) -> forms.DateTimeField:
    # Read in the current time zone (the team's): a naive "2026-03-29T02:30" is
    # made aware by Django, and a time that does not exist (DST) is refused. The
    # label stays lazy: it is read in each request's language, not the import's.
    return forms.DateTimeField(
        label=label, input_formats=[LOCAL_INPUT], widget=LocalDateTimeInput()
    )


class PromiseMakeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=PromiseKind.choices)
    description = forms.CharField(
        label=_("What you promise"),
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    due_at = _local_datetime(_("Due"))
    is_sooner_confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class PromisePresetForm(forms.Form):
    preset = forms.CharField(max_length=40)
    is_sooner_confirmed = forms.BooleanField(required=False)


class PromiseRenegotiateForm(forms.Form):
    due_at = _local_datetime(_("New due time"))
    reason = forms.CharField(label=_("Why"), max_length=500)
    is_customer_told = forms.BooleanField(
        label=_("The customer agreed (told by phone or otherwise)"), required=False
    )
    is_message_sent = forms.BooleanField(
        label=_("Send the new date to the customer by email"), required=False
    )


class PromiseKeepForm(forms.Form):
    note = forms.CharField(label=_("How it was kept"), max_length=200, required=False)


class PromiseCancelForm(forms.Form):
    reason = forms.CharField(label=_("Why it no longer applies"), max_length=500)


class PromiseListForm(forms.Form):
    state = forms.MultipleChoiceField(
        label=_("State"), choices=PromiseState.choices, required=False
    )
    kind = forms.MultipleChoiceField(
        label=_("Type"), choices=PromiseKind.choices, required=False
    )
    cursor = forms.CharField(required=False, max_length=1000)
