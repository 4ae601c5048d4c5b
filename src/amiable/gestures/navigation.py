"""The gestures entries of the main navigation."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from amiable.accounts.models import User
from amiable.core.navigation import NavItem, nav_register
from amiable.gestures.permissions import is_approver
from amiable.gestures.selectors import approval_queue_count


def _is_approver(user: Any) -> bool:
    return isinstance(user, User) and is_approver(user)


def _badge(user: Any) -> int | None:
    if not isinstance(user, User):
        return None
    return approval_queue_count(actor=user) or None


def navigation_register() -> None:
    nav_register(
        NavItem(
            name="gestures.list",
            label=_("Gestures"),
            url_name="gestures:list",
            order=40,
        )
    )
    nav_register(
        NavItem(
            name="gestures.approvals",
            label=_("Approvals"),
            url_name="gestures:approvals",
            order=41,
            is_visible=_is_approver,
            badge=_badge,
        )
    )
