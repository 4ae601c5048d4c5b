"""Errors raised by customer services."""

from amiable.core.errors import ConflictError, DuplicateError, ValidationError


class IdentityTakenError(DuplicateError):
    pass


class MergeNotAllowedError(ConflictError):
    pass


class CustomerMergedError(ValidationError):
    pass
