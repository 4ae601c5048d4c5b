"""Errors raised by the promise services."""

from amiable.core.errors import ApplicationError, ErrorCode, InvalidTransitionError


class PromiseClosedError(InvalidTransitionError):
    """The promise is kept, broken or cancelled: it cannot change any more."""


class PromiseSoonerThanSuggestedError(ApplicationError):
    """The due time is sooner than history says is realistic; confirm to go on."""

    code = ErrorCode.CONFIRMATION_REQUIRED
    status = 422
