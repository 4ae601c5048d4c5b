"""The case page's timeline: the case's interactions, read once per page."""

from __future__ import annotations

from operator import attrgetter

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.cases.selectors.cases import case_is_visible
from amiable.conversations.models import Interaction
from amiable.conversations.selectors import interaction_list
from amiable.customers.models import Customer

TIMELINE_CACHE = "_timeline"
# Every column of the interactions; of their authors, what ``display_name`` reads.
TIMELINE_FIELDS = (
    *(field.name for field in Interaction._meta.concrete_fields),
    "author__first_name",
    "author__last_name",
    "author__username",
)


def case_timeline_loaded(case: Case) -> list[Interaction] | None:
    """The timeline ``case_timeline`` already read for this ``case`` instance, if
    any: what else the page says of the case's interactions (the latest
    customer e-mail, the latest entry, the time spent) is taken from it."""
    cached = getattr(case, TIMELINE_CACHE, None)
    return cached if isinstance(cached, list) else None


def case_timeline(*, actor: User, case: Case) -> list[Interaction]:
    """The case's interactions in order, with their author and attachments (two
    queries). Their case and customer are the page's instances, not joined again
    (a customer other than the case's, after a merge, is read in one more query).
    Kept on the ``case`` instance, like a prefetch: the page and its panels (the
    split form lists the same messages) read it once."""
    cached = case_timeline_loaded(case)
    if cached is not None:
        return cached
    # Every interaction of a case the actor sees is visible: no scope to join.
    queryset = (
        Interaction.objects.filter(case_id=case.pk).prefetch_related("attachments")
        if case_is_visible(actor=actor, case=case)
        else interaction_list(actor=actor, case_id=case.pk).select_related(None)
    )
    # Sorted here, not by the database: the same order, and the ORM does not
    # match each of the ~35 selected columns against the ORDER BY.
    rows = sorted(
        queryset.select_related("author").only(*TIMELINE_FIELDS).order_by(),
        key=attrgetter("occurred_at", "pk"),
    )
    others = {row.customer_id for row in rows} - {case.customer_id}
    customers: dict[int, Customer] = {case.customer_id: case.customer}
    if others:
        customers |= Customer.objects.in_bulk(others)
    for row in rows:
        row.case = case
        row.customer = customers[row.customer_id]
    setattr(case, TIMELINE_CACHE, rows)
    return rows
