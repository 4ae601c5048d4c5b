"""Errors raised by case services."""

from amiable.core.errors import (
    ConflictError,
    ErrorCode,
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


class CaseMergeRefusedError(ConflictError):
    """These cases cannot be merged or split so (another customer, a case
    without a message left, the target among the sources…): 409."""

    code = ErrorCode.CASE_MERGE_REFUSED


class CaseAlreadyMergedError(ConflictError):
    """A case was already merged into another (and not undone): 409."""

    code = ErrorCode.CASE_ALREADY_MERGED


class MergeUndoExpiredError(ConflictError):
    """The undo window of a merge or split has passed: 409."""

    code = ErrorCode.UNDO_EXPIRED


class MergeAlreadyUndoneError(ConflictError):
    """The merge or split was already undone: 409."""

    code = ErrorCode.ALREADY_UNDONE


class CaseRepliedMeanwhileError(CaseVersionConflictError):
    """Someone else answered the customer after what the agent saw (409): the
    agent reads it, then sends anyway by confirming."""
