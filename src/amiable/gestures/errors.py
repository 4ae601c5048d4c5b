"""Errors of the gestures app."""

from __future__ import annotations

from amiable.core.errors import (
    ConflictError,
    ErrorCode,
    InvalidTransitionError,
    PermissionDeniedError,
    ValidationError,
)


class GestureInvalidError(ValidationError):
    """A gesture that cannot be granted as asked (unknown reason, missing order
    line, wrong currency…)."""


class AboveAuthorityError(PermissionDeniedError):
    """The approver's own authority does not cover the gesture: escalate it."""

    code = ErrorCode.ABOVE_AUTHORITY


class SelfApprovalError(PermissionDeniedError):
    """Nobody approves their own request."""

    code = ErrorCode.SELF_APPROVAL


class BudgetExhaustedError(ConflictError):
    """The team's budget for this gesture type is spent and set to block."""

    code = ErrorCode.BUDGET_EXHAUSTED


class GestureAlreadyDecidedError(InvalidTransitionError):
    """The gesture (or campaign) was decided already."""
