"""The customer's new messages, unread by the case's assignee: an in-app
notification (by e-mail too for those who asked), which is also the case's
unread mark in the inbox until the assignee opens the case."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.cases.selectors.live import CUSTOMER_REPLIED_KIND
from amiable.cases.services.notify import case_notify
from amiable.conversations.models import Interaction
from amiable.notifications.services import notification_mark_read_about

CUSTOMER_REPLIED = CUSTOMER_REPLIED_KIND
EXCERPT_CHARS = 300


def case_customer_replied_notify(*, case: Case, interaction: Interaction) -> int:
    """Tell the case's assignee that the customer wrote (once per message);
    returns how many notifications were created (0 without an assignee)."""
    if case.assignee is None:
        return 0
    excerpt = " ".join(interaction.body_text.split())[:EXCERPT_CHARS]
    return case_notify(
        case=case,
        recipients=[case.assignee],
        kind=CUSTOMER_REPLIED,
        title=lambda: (
            _("%(customer)s replied on %(reference)s: %(subject)s")
            % {
                "customer": case.customer.name,
                "reference": case.reference,
                "subject": case.subject,
            }
        ),
        body=excerpt,
        dedupe_key=f"{CUSTOMER_REPLIED}:{interaction.pk}",
    )


def case_unread_clear(*, actor: User, case: Case) -> int:
    """The actor opened the case: its customer's messages are read (their
    notifications too). Returns how many notifications were marked read."""
    return notification_mark_read_about(
        actor=actor,
        kind=CUSTOMER_REPLIED,
        url=reverse("cases:detail", args=[case.pk]),
    )
