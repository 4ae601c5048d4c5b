"""Presentation helpers of the dispute and cost pages."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def hours_minutes(seconds: int | None) -> str:
    """``5400`` -> ``1 h 30 min``; ``0`` -> ``0 min``."""
    total_minutes = int(seconds or 0) // 60
    hours, minutes = divmod(total_minutes, 60)
    if hours:
        return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}
