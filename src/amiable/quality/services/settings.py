"""The quality settings row."""

from __future__ import annotations

from amiable.quality.models import QualitySettings


def quality_settings_get() -> QualitySettings:
    """The saved settings, or (unsaved) defaults when none were saved yet."""
    return QualitySettings.objects.filter(pk=1).first() or QualitySettings(pk=1)
