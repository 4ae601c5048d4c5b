"""Errors raised by account services."""

from amiable.core.errors import NotAuthenticatedError, PermissionDeniedError


class InvalidTokenError(NotAuthenticatedError):
    pass


class RoleNotAllowedError(PermissionDeniedError):
    pass
