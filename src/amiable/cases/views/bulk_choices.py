"""The bulk actions the inbox offers, as grouped choices of one select
(``assign:me``, ``status:open``, ``priority:high``, …), and their labels."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.cases.models import CasePriority, CaseStatus
from amiable.cases.services import BULK_STATUSES, BulkAction, BulkKind

Choices = list[tuple[str, str]]


def bulk_action_choices(assignees: Iterable[User] | None) -> list[tuple[str, Choices]]:
    """Grouped choices; ``assignees`` is None for an actor who may only take
    cases (agents): then « assign to me » and « unassign » only."""
    assign: Choices = [
        ("assign:me", _("Assign to me")),
        ("assign:none", _("Unassign")),
    ]
    for person in assignees or ():
        assign.append(
            (
                f"assign:{person.pk}",
                _("Assign to %(name)s") % {"name": person.display_name},
            )
        )
    status: Choices = [
        (f"status:{value}", _("Status: %(status)s") % {"status": label})
        for value, label in CaseStatus.choices
        if value in BULK_STATUSES
    ]
    priority: Choices = [
        (f"priority:{value}", _("Priority: %(priority)s") % {"priority": label})
        for value, label in CasePriority.choices
    ]
    tags: Choices = [
        ("tag_add:", _("Add the tag typed")),
        ("tag_remove:", _("Remove the tag typed")),
    ]
    merge: Choices = [("merge", _("Merge into one case…"))]
    return [
        (_("Assign"), assign),
        (_("Status"), status),
        (_("Priority"), priority),
        (_("Tags"), tags),
        (_("Merge"), merge),
    ]


def bulk_action_label(action: BulkAction, assignee: User | None) -> str:
    """What the confirmation says the action will do."""
    if action.kind == BulkKind.ASSIGN:
        if assignee is None:
            return _("Unassign")
        return _("Assign to %(name)s") % {"name": assignee.display_name}
    if action.kind == BulkKind.STATUS:
        return _("Status: %(status)s") % {"status": CaseStatus(action.value).label}
    if action.kind == BulkKind.TAG_ADD:
        return _("Add the tag “%(tag)s”") % {"tag": action.value}
    if action.kind == BulkKind.TAG_REMOVE:
        return _("Remove the tag “%(tag)s”") % {"tag": action.value}
    return _("Priority: %(priority)s") % {"priority": CasePriority(action.value).label}
