"""What each survey kind asks, its score range and its bands (pure, no database)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from amiable.feedback.models import SurveyKind


class Band(StrEnum):
    DETRACTOR = "detractor"
    PASSIVE = "passive"
    PROMOTER = "promoter"


@dataclass(frozen=True)
class Scale:
    lowest: int
    highest: int
    # The highest detractor score and the lowest promoter score.
    detractor_up_to: int
    promoter_from: int
    lowest_label: Promise
    highest_label: Promise


SCALES: dict[str, Scale] = {
    SurveyKind.NPS: Scale(0, 10, 6, 9, _("Not at all likely"), _("Extremely likely")),
    SurveyKind.CSAT: Scale(1, 5, 2, 4, _("Very dissatisfied"), _("Very satisfied")),
    SurveyKind.CES: Scale(1, 7, 3, 6, _("Strongly disagree"), _("Strongly agree")),
    SurveyKind.CHECK: Scale(0, 1, 0, 1, _("No"), _("Yes")),
}

QUESTIONS: dict[str, Promise] = {
    SurveyKind.NPS: _("How likely are you to recommend us to a friend or colleague?"),
    SurveyKind.CSAT: _("How satisfied are you with our service?"),
    SurveyKind.CES: _("We made it easy for me to handle my request."),
    SurveyKind.CHECK: _("Was everything OK?"),
}

FOLLOW_UPS: dict[Band, Promise] = {
    Band.DETRACTOR: _("We are sorry. What went wrong, and what should we have done?"),
    Band.PASSIVE: _("What would have made it perfect?"),
    Band.PROMOTER: _("Thank you! What did you like most?"),
}

# Words that make a comment negative whatever the score (French and English).
NEGATIVE_WORDS = (
    "déçu",
    "déception",
    "mécontent",
    "inadmissible",
    "inacceptable",
    "scandal",
    "honte",
    "nul ",
    "jamais plus",
    "plus jamais",
    "arnaque",
    "remboursez",
    "disappointed",
    "unacceptable",
    "terrible",
    "awful",
    "never again",
    "scam",
    "refund",
)


def score_is_valid(kind: str, score: int) -> bool:
    scale = SCALES[kind]
    return scale.lowest <= score <= scale.highest


def band_of(kind: str, score: int) -> Band:
    """Detractor, passive or promoter (NPS 0–6/7–8/9–10, CSAT 1–2/3/4–5,
    CES 1–3/4–5/6–7, check no/–/yes)."""
    scale = SCALES[kind]
    if score <= scale.detractor_up_to:
        return Band.DETRACTOR
    if score >= scale.promoter_from:
        return Band.PROMOTER
    return Band.PASSIVE


def comment_is_negative(comment: str) -> bool:
    """A plain keyword test, until text intelligence scores comments."""
    lowered = f" {comment.lower()} "
    return any(word in lowered for word in NEGATIVE_WORDS)


def scores_of(kind: str) -> list[int]:
    scale = SCALES[kind]
    return list(range(scale.lowest, scale.highest + 1))
