"""Errors raised by the inbound channels."""

from amiable.core.errors import ApplicationError, ConflictError, ErrorCode


class NotQuarantinedError(ConflictError):
    """Only a quarantined message can be replayed."""


class EmailSourceMissingError(ConflictError):
    """The stored raw source of a message cannot be read any more."""


class WebhookSignatureError(ApplicationError):
    code = ErrorCode.WEBHOOK_SIGNATURE
    status = 401


class WebhookReplayError(ConflictError):
    code = ErrorCode.WEBHOOK_REPLAYED


class ReviewAlreadyRepliedError(ConflictError):
    code = ErrorCode.CONFLICT
