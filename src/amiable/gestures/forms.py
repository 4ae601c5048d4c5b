"""Web forms of the gestures pages: shape only, the services own the rules."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from amiable.commerce.models import OrderLine
from amiable.gestures.models import GestureStatus, GestureType
from amiable.gestures.selectors import SpendDimension

MAX_NOTE = 2000


def _language() -> str:
    return translation.get_language() or "fr"


class GestureProposalForm(forms.Form):
    gesture_type = forms.TypedChoiceField(label=_("Gesture"), coerce=int)
    reason = forms.TypedChoiceField(label=_("Reason"), coerce=int)
    value = forms.DecimalField(
        label=_("Value"),
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    order_line = forms.TypedChoiceField(
        label=_("Order line"), coerce=int, required=False, empty_value=None
    )
    note = forms.CharField(
        label=_("Internal note"),
        max_length=MAX_NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # One request, one gesture: a double click or a retried POST sends the same key.
    idempotency_key = forms.CharField(max_length=255, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        types: Sequence[GestureType],
        lines: Sequence[OrderLine],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", "gesture_%s")
        super().__init__(*args, **kwargs)
        language = _language()
        self.fields["gesture_type"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (gesture_type.pk, gesture_type.name_in(language)) for gesture_type in types
        ]
        reasons: dict[int, str] = {}
        for gesture_type in types:
            for reason in gesture_type.reasons.all():
                reasons[reason.pk] = reason.name_in(language)
        self.fields["reason"].choices = [("", "—")] + sorted(  # type: ignore[attr-defined]
            reasons.items(), key=lambda item: item[1]
        )
        self.fields["order_line"].choices = [("", _("None"))] + [  # type: ignore[attr-defined]
            (
                line.pk,
                f"{line.order.external_ref} · {line.product.name} × {line.quantity}",
            )
            for line in lines
        ]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            ("approve", _("Approve")),
            ("reject", _("Reject")),
            ("escalate", _("Escalate")),
        ]
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=MAX_NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class GestureListForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All"))] + list(GestureStatus.choices),
        required=False,
    )
    cursor = forms.CharField(required=False, max_length=1000)


class CampaignDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("reject", _("Reject"))]
    )
    compensations = forms.TypedMultipleChoiceField(
        label=_("Compensations"), coerce=int, required=False
    )
    reason = forms.CharField(label=_("Reason"), max_length=MAX_NOTE, required=False)

    def __init__(
        self, *args: Any, compensation_ids: Sequence[int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["compensations"].choices = [  # type: ignore[attr-defined]
            (pk, str(pk)) for pk in compensation_ids
        ]


class ReportForm(forms.Form):
    dimension = forms.ChoiceField(
        label=_("Per"),
        choices=[
            (SpendDimension.REASON, _("Reason")),
            (SpendDimension.CATEGORY, _("Category")),
            (SpendDimension.TEAM, _("Team")),
            (SpendDimension.AGENT, _("Agent")),
            (SpendDimension.TYPE, _("Gesture type")),
        ],
        required=False,
    )
    date_from = forms.DateField(label=_("From"), required=False)
    date_to = forms.DateField(label=_("To"), required=False)
