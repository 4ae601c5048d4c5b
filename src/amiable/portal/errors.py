"""Errors of the customer portal."""

from amiable.core.errors import ApplicationError, ErrorCode, ValidationError


class PortalRateLimitedError(ApplicationError):
    code = ErrorCode.RATE_LIMITED
    status = 429


class PortalCodeInvalidError(ValidationError):
    """Wrong, expired, used or exhausted code: one message for all of them."""
