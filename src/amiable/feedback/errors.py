"""Errors of the feedback app."""

from __future__ import annotations

from amiable.core.errors import ApplicationError, NotFoundError, ValidationError


class SurveyLinkInvalidError(NotFoundError):
    """The link is not one we made (tampered, truncated or for no survey)."""


class SurveyLinkExpiredError(ApplicationError):
    """A genuine link past its validity: nothing is recorded."""

    status = 410


class SurveyScoreInvalidError(ValidationError):
    """A score outside the survey's scale."""
