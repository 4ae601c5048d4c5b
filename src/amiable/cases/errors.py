"""Errors raised by case services."""

from amiable.core.errors import InvalidTransitionError, VersionConflictError


class CaseVersionConflictError(VersionConflictError):
    pass


class CaseTransitionError(InvalidTransitionError):
    pass
