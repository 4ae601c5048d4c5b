"""The « Personal data » entry of the main navigation (supervisors and above)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from amiable.accounts.models import User
from amiable.core.navigation import NavItem, nav_register
from amiable.privacy.permissions import can_see_data_requests


def _visible(user: Any) -> bool:
    return isinstance(user, User) and can_see_data_requests(user)


def navigation_register() -> None:
    nav_register(
        NavItem(
            name="privacy.list",
            label=_("Personal data"),
            url_name="privacy:list",
            order=95,
            is_visible=_visible,
        )
    )
