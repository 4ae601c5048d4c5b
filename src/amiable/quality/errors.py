"""Errors of the quality app."""

from amiable.core.errors import (
    ApplicationError,
    ConflictError,
    ErrorCode,
    VersionConflictError,
)


class ConfirmationAnsweredError(ConflictError):
    """The customer already answered this confirmation."""


class ConfirmationClosedError(ApplicationError):
    """The link expired, or the case was reopened or resolved again since."""

    code = ErrorCode.CONFLICT
    status = 410


class QualityVersionConflictError(VersionConflictError):
    pass
