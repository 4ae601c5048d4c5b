"""Errors raised by calendar services."""

from amiable.core.errors import ValidationError


class CalendarInvalidError(ValidationError):
    pass
