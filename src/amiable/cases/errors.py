"""Errors raised by case services."""

from amiable.core.errors import (
    InvalidTransitionError,
    ValidationError,
    VersionConflictError,
)


class CaseVersionConflictError(VersionConflictError):
    pass


class CaseTransitionError(InvalidTransitionError):
    pass


class CaseEscalationError(InvalidTransitionError):
    """The case cannot climb to that level (409, with the levels it may reach)."""


class EscalationOwnerError(ValidationError):
    """The quality manager named (or none at all) is not impartial on this case."""


class CaseRepliedMeanwhileError(CaseVersionConflictError):
    """Someone else answered the customer after what the agent saw (409): the
    agent reads it, then sends anyway by confirming."""
