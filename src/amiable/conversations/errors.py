"""Errors raised by conversation services."""

from amiable.core.errors import ApplicationError, ErrorCode


class AttachmentRejectedError(ApplicationError):
    code = ErrorCode.ATTACHMENT_REJECTED
    status = 422
