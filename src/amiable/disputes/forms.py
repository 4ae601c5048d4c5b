"""Web forms of the dispute track and the cost ledger: shape only; the services own
the rules. Dates are typed in the user's local time (the current time zone)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amiable.cases.models import CaseKind, CostKind
from amiable.disputes.cost_reports import (
    DIMENSION_LABELS,
    GRANULARITY_LABELS,
    CostDimension,
    Granularity,
)
from amiable.disputes.models import (
    DisputeOutcome,
    DisputeStage,
    Mediator,
    ProposalAuthor,
)

MAX_TEXT = 5000
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def datetime_field(label: Any, *, required: bool = False) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(
            format=DATETIME_FORMAT, attrs={"type": "datetime-local"}
        ),
    )


def date_field(label: Any, *, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )


class VersionedForm(forms.Form):
    """Carries the dispute version the user saw (optimistic locking)."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class DisputeStartForm(forms.Form):
    written_complaint_at = datetime_field(_("Written complaint received"))


class DisputeDatesForm(VersionedForm):
    """Every date of the track in one form; unchanged fields change nothing."""

    written_complaint_at = datetime_field(_("Written complaint received"))
    complaint_failed_at = datetime_field(_("Complaint not settled on"))
    mediator_info_sent_at = datetime_field(_("Mediator's details sent"))
    mediator = forms.ModelChoiceField(
        label=_("Mediator"), queryset=Mediator.objects.all(), required=False
    )
    referred_at = datetime_field(_("Referred to the mediator"))
    file_complete_at = datetime_field(_("File complete (mediator's notice)"))
    mediation_agreed_at = datetime_field(_("Mediation agreed or first meeting"))
    outcome_extended_to = date_field(_("Outcome deadline extended to"))
    extension_reason = forms.CharField(
        label=_("Reason for the extension"), max_length=255, required=False
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=DisputeOutcome.choices)
    outcome_at = datetime_field(_("Outcome on"))
    outcome_summary = forms.CharField(
        label=_("Outcome summary"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    is_consumer = forms.BooleanField(
        label=_("The customer is a consumer or a non-professional"), required=False
    )
    holiday_subdivision = forms.CharField(
        label=_("Customer's local holidays"),
        max_length=20,
        required=False,
        help_text=_("Empty: the national list; 57 for Alsace-Moselle."),
    )

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version")
        return data


class MediatorInfoForm(VersionedForm):
    mediator = forms.ModelChoiceField(
        label=_("Mediator"), queryset=Mediator.objects.filter(is_active=True)
    )


class ProposalForm(VersionedForm):
    made_by = forms.ChoiceField(label=_("Made by"), choices=ProposalAuthor.choices)
    description = forms.CharField(
        label=_("What is proposed"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    amount = forms.DecimalField(
        label=_("Amount (optional)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        required=False,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    proposed_at = datetime_field(_("Proposed on"), required=True)
    respond_by = date_field(_("Answer expected by"))


class ProposalAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("accepted", _("Accepted")), ("refused", _("Refused"))]
    )
    responded_at = datetime_field(_("Answered on"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class CostForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CostKind.choices)
    amount = forms.DecimalField(
        label=_("Amount"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    currency = forms.RegexField(
        label=_("Currency"), regex=r"^[A-Za-z]{3}$", initial="EUR", max_length=3
    )
    description = forms.CharField(
        label=_("Description"), max_length=255, required=False
    )
    incurred_on = date_field(_("Date"))


class DisputeListForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Stage"),
        choices=[("", _("All stages")), *DisputeStage.choices],
        required=False,
    )
    mediator = forms.ModelChoiceField(
        label=_("Mediator"), queryset=Mediator.objects.all(), required=False
    )
    cursor = forms.CharField(required=False, max_length=1000)


class CostReportForm(forms.Form):
    group_by = forms.ChoiceField(
        label=_("Group by"),
        choices=[(value.value, label) for value, label in DIMENSION_LABELS.items()],
        required=False,
    )
    period = forms.ChoiceField(
        label=_("Period"),
        choices=[(value.value, label) for value, label in GRANULARITY_LABELS.items()],
        required=False,
    )
    date_from = date_field(_("From"))
    date_to = date_field(_("To"))
    case_kind = forms.ChoiceField(
        label=_("Case kind"),
        choices=[("", _("All kinds")), *CaseKind.choices],
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, stop = data.get("date_from"), data.get("date_to")
        if start and stop and stop < start:
            self.add_error("date_to", _("Before the start date."))
        return data

    def dimension(self) -> CostDimension:
        return CostDimension(self.cleaned_data.get("group_by") or CostDimension.KIND)

    def granularity(self) -> Granularity:
        return Granularity(self.cleaned_data.get("period") or Granularity.MONTH)
