"""Forms of the public confirmation page and the quality pages: shape only."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amiable.accounts.models import Role, User
from amiable.cases.models import RootCause
from amiable.quality.models import (
    ActionStatus,
    FirstContact,
    Incident,
    IncidentKind,
    IncidentStatus,
    ProblemStatus,
)
from amiable.quality.selectors.fcr import FcrDimension
from amiable.quality.services.confirmations import MAX_COMMENT

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
REFERENCE = re.compile(r"C-\d{4}-\d{6}", re.IGNORECASE)


class ConfirmationForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Is your problem solved?"),
        choices=[("yes", _("Yes, it is solved")), ("no", _("No, it is not solved"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )
    first_contact = forms.ChoiceField(
        label=_("Was it solved the first time you contacted us?"),
        choices=FirstContact.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    comment = forms.CharField(
        label=_("Anything to add? (optional)"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _staff_owners() -> Any:
    return User.objects.filter(is_active=True).filter(
        Q(role__in=[Role.QUALITY_MANAGER, Role.ADMIN]) | Q(is_superuser=True)
    )


class ProblemForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=200)
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=User.objects.none(), required=False
    )
    corrective_action = forms.CharField(
        label=_("Corrective action"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    action_status = forms.ChoiceField(
        label=_("Action status"), choices=ActionStatus.choices
    )
    action_due_on = forms.DateField(
        label=_("Action due on"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    status = forms.ChoiceField(label=_("Problem"), choices=ProblemStatus.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)  # noqa: S101
        owner.queryset = _staff_owners()


class ProblemLinkForm(forms.Form):
    reference = forms.RegexField(
        label=_("Case reference"), regex=REFERENCE, max_length=20
    )


class IncidentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=IncidentKind.choices)
    description = forms.CharField(
        label=_("What happened"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    started_at = forms.DateTimeField(
        label=_("Started at"),
        required=False,
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(
            format=DATETIME_FORMAT, attrs={"type": "datetime-local"}
        ),
    )


class IncidentLinkForm(forms.Form):
    references = forms.CharField(
        label=_("Case references"),
        help_text=_("One or more, e.g. C-2026-000123, separated by spaces or lines."),
        max_length=30_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_references(self) -> list[str]:
        raw = self.cleaned_data["references"]
        found = sorted({match.upper() for match in REFERENCE.findall(raw)})
        if not found:
            raise forms.ValidationError(_("No case reference found."))
        return found


class ReplyAllForm(forms.Form):
    body_fr = forms.CharField(
        label=_("Message in French"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("{name} and {reference} are replaced for each customer."),
    )
    body_en = forms.CharField(
        label=_("Message in English (optional)"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    wait_for_customer = forms.BooleanField(
        label=_("Then wait for the customers' answers"), required=False
    )


class ResolveAllForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    summary = forms.CharField(
        label=_("Resolution summary"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    root_cause = forms.ModelChoiceField(
        label=_("Root cause"), queryset=RootCause.objects.filter(is_active=True)
    )


class IncidentFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), *IncidentStatus.choices],
        required=False,
    )
    cursor = forms.CharField(required=False, max_length=1000)


class CaseIncidentForm(forms.Form):
    incident = forms.ModelChoiceField(
        label=_("Incident"),
        queryset=Incident.objects.filter(status=IncidentStatus.OPEN),
    )


class FcrForm(forms.Form):
    dimension = forms.ChoiceField(
        label=_("Per"),
        choices=[
            (FcrDimension.OVERALL.value, _("All")),
            (FcrDimension.TEAM.value, _("Team")),
            (FcrDimension.KIND.value, _("Case kind")),
            (FcrDimension.CHANNEL.value, _("Channel")),
            (FcrDimension.MONTH.value, _("Month")),
        ],
        required=False,
    )
    date_from = forms.DateField(
        label=_("Resolved from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
