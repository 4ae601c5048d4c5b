"""Errors raised by commerce services."""

from amiable.core.errors import (
    ApplicationError,
    DuplicateError,
    ErrorCode,
    PermissionDeniedError,
)


class DuplicateOrderReferenceError(DuplicateError):
    pass


class DuplicateSkuError(DuplicateError):
    pass


class DuplicateShipmentError(DuplicateError):
    pass


class TrackingSignatureError(ApplicationError):
    """A carrier webhook without a valid, fresh HMAC signature."""

    code = ErrorCode.SIGNATURE_INVALID
    status = 401


class TrackingWebhookDisabledError(PermissionDeniedError):
    """No webhook secret is configured: carrier webhooks are refused."""
