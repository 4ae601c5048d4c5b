"""Errors raised by conversation services."""

from amiable.core.errors import ApplicationError, ErrorCode


class AttachmentRejectedError(ApplicationError):
    code = ErrorCode.ATTACHMENT_REJECTED
    status = 422


class AttachmentTooLargeError(AttachmentRejectedError):
    """Same code as any refused file; the status says what to change."""

    status = 413
