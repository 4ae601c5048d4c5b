"""The cases app's entries in the main navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from amiable.accounts.permissions import can_manage_catalog
from amiable.cases.permissions import (
    sees_quality_queue,
    sees_supervisor_queue,
)
from amiable.cases.selectors import quality_queue_count, supervisor_queue_count
from amiable.core.navigation import NavItem, nav_register


def navigation_register() -> None:
    nav_register(
        NavItem(name="cases.inbox", label=_("Cases"), url_name="cases:inbox", order=10)
    )
    nav_register(
        NavItem(
            name="cases.create",
            label=_("New case"),
            url_name="cases:create",
            order=11,
        )
    )
    nav_register(
        NavItem(
            name="cases.supervisor_queue",
            label=_("Supervisor queue"),
            url_name="cases:supervisor_queue",
            order=12,
            is_visible=sees_supervisor_queue,
            badge=lambda user: supervisor_queue_count(actor=user),
        )
    )
    nav_register(
        NavItem(
            name="cases.quality_queue",
            label=_("Quality queue"),
            url_name="cases:quality_queue",
            order=13,
            is_visible=sees_quality_queue,
            badge=lambda user: quality_queue_count(actor=user),
        )
    )
    nav_register(
        NavItem(
            name="cases.workload",
            label=_("Workload"),
            url_name="cases:workload",
            order=14,
        )
    )
    nav_register(
        NavItem(
            name="cases.custom_fields",
            label=_("Custom fields"),
            url_name="cases:custom_fields",
            order=90,
            is_visible=can_manage_catalog,
        )
    )
