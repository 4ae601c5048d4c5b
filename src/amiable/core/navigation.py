"""The main navigation: each app adds its own entries (like ``core.panels``), so the
layout never imports the apps it links to.

    nav_register(NavItem(
        name="cases.inbox", label=_("Cases"), url_name="cases:inbox", order=10,
        is_visible=lambda user: True,
    ))

``badge`` returns a number shown beside the label (e.g. unread notifications, cases
waiting in my queue), or None; it runs on every page, so one cheap query at most.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django_stubs_ext import StrOrPromise


def _everyone(user: Any) -> bool:
    return True


@dataclass(frozen=True)
class NavItem:
    name: str
    label: StrOrPromise
    url_name: str
    order: int = 100
    is_visible: Callable[[Any], bool] = _everyone
    badge: Callable[[Any], int | None] | None = None


_ITEMS: dict[str, NavItem] = {}


def nav_register(item: NavItem) -> None:
    _ITEMS[item.name] = item


def nav_unregister(name: str) -> None:
    _ITEMS.pop(name, None)


def nav_items_for(user: Any) -> list[NavItem]:
    """The entries ``user`` may see, in order."""
    return sorted(
        (item for item in _ITEMS.values() if item.is_visible(user)),
        key=lambda item: (item.order, item.name),
    )
