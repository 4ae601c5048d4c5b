"""The macros entry of the main navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from amiable.core.navigation import NavItem, nav_register


def navigation_register() -> None:
    nav_register(
        NavItem(name="macros.list", label=_("Macros"), url_name="macros:list", order=45)
    )
