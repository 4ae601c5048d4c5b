"""Helpers shared by the staff pages of the quality app."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from amiable.accounts.models import User
from amiable.quality.permissions import can_view_quality
from amiable.web.requests import request_actor


def quality_staff(request: HttpRequest) -> User:
    actor = request_actor(request)
    if not can_view_quality(actor):
        raise PermissionDenied
    return actor
