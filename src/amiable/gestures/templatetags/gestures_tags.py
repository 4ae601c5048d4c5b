"""Presentation helpers of the gestures templates."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import translation

register = template.Library()


@register.filter
def localised_name(item: Any) -> str:
    """The French or English name of a gesture type or reason, per the page."""
    if item is None:
        return ""
    return str(item.name_in(translation.get_language() or "fr"))
