"""Telling staff about a case in their own language (breaches, escalations)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import Q
from django.urls import reverse
from django.utils import translation

from amiable.accounts.models import Role, User
from amiable.cases.models import Case
from amiable.notifications.services import notification_send


def case_supervisors(case: Case) -> list[User]:
    """Active supervisors of the case's team (else of its assignee's team)."""
    team_id = case.team_id or (case.assignee.team_id if case.assignee else None)
    if team_id is None:
        return []
    return list(
        User.objects.filter(
            Q(team_id=team_id), role=Role.SUPERVISOR, is_active=True
        ).order_by("pk")
    )


def case_notify(
    *,
    case: Case,
    recipients: Iterable[User | None],
    kind: str,
    title: Callable[[], str],
    dedupe_key: str,
    body: str = "",
) -> int:
    """Notify each recipient once per ``dedupe_key``, the title rendered in their
    preferred language; returns how many notifications were created."""
    url = reverse("cases:detail", args=[case.pk])
    sent = 0
    for recipient in {user.pk: user for user in recipients if user}.values():
        with translation.override(recipient.preferred_language or "fr"):
            sent += len(
                notification_send(
                    recipients=[recipient],
                    kind=kind,
                    title=title(),
                    body=body,
                    url=url,
                    dedupe_key=dedupe_key,
                )
            )
    return sent
