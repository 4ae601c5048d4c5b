"""Errors raised by commerce services."""

from amiable.core.errors import DuplicateError


class DuplicateOrderReferenceError(DuplicateError):
    pass


class DuplicateSkuError(DuplicateError):
    pass


class DuplicateShipmentError(DuplicateError):
    pass
