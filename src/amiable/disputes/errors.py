"""Errors raised by the dispute track."""

from amiable.core.errors import ConflictError, VersionConflictError


class DisputeVersionConflictError(VersionConflictError):
    pass


class ProposalAlreadyAnsweredError(ConflictError):
    pass
