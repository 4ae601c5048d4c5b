"""Absolute survey links for emails (one per score)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from amiable.feedback.models import Survey
from amiable.feedback.scales import scores_of
from amiable.feedback.signing import token_make

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


@dataclass(frozen=True)
class ScoreLink:
    score: int
    url: str


def public_url() -> str:
    return str(getattr(settings, "AMIABLE_PUBLIC_URL", DEFAULT_PUBLIC_URL)).rstrip("/")


def survey_path(survey: Survey) -> str:
    return reverse("feedback_public:answer", args=[token_make(survey.public_key)])


def score_links(survey: Survey) -> list[ScoreLink]:
    base = public_url() + survey_path(survey)
    return [
        ScoreLink(score, f"{base}?score={score}") for score in scores_of(survey.kind)
    ]
