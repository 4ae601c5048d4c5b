"""Errors of macros."""

from __future__ import annotations

from amiable.core.errors import ValidationError


class MacroInvalidError(ValidationError):
    """A macro with no text in any language, an unknown variable or a status it may
    not set."""
