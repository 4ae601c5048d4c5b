"""Forms of the public survey page and the staff results page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amiable.feedback.models import SurveyKind, SurveyTrigger
from amiable.feedback.results import Dimension
from amiable.feedback.scales import SCALES, scores_of
from amiable.feedback.services.answering import COMMENT_MAX_LENGTH


def score_choices(kind: str) -> list[tuple[int, str]]:
    if kind == SurveyKind.CHECK:
        scale = SCALES[kind]
        return [(1, str(scale.highest_label)), (0, str(scale.lowest_label))]
    return [(score, str(score)) for score in scores_of(kind)]


class SurveyAnswerForm(forms.Form):
    score = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Tell us more (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        score = self.fields["score"]
        assert isinstance(score, forms.TypedChoiceField)  # noqa: S101
        score.choices = score_choices(kind)
        score.error_messages["required"] = _("Choose an answer.")


class ResultsForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Survey"), choices=SurveyKind.choices, required=False
    )
    dimension = forms.ChoiceField(
        label=_("Per"),
        choices=[
            (Dimension.OVERALL, _("All")),
            (Dimension.TEAM, _("Team")),
            (Dimension.AGENT, _("Agent")),
            (Dimension.CHANNEL, _("Channel")),
            (Dimension.CATEGORY, _("Category")),
            (Dimension.PRODUCT, _("Product")),
            (Dimension.TIER, _("Customer tier")),
            (Dimension.MONTH, _("Month")),
        ],
        required=False,
    )
    trigger = forms.ChoiceField(
        label=_("Trigger"),
        choices=[("", _("All")), *SurveyTrigger.choices],
        required=False,
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    q = forms.CharField(label=_("Search the comments"), max_length=200, required=False)
    cursor = forms.CharField(required=False, max_length=1000)
