"""Finding the case an inbound message belongs to: by the Message-IDs it answers, then
by the case reference in its subject, always for the same customer."""

from __future__ import annotations

import re
from dataclasses import dataclass

from amiable.cases.models import Case
from amiable.conversations.models import HAS_MESSAGE_ID, Interaction
from amiable.customers.models import Customer

CASE_REFERENCE = re.compile(r"\b(C-\d{4}-\d{6})\b")
MAX_REFERENCES = 50


@dataclass(frozen=True)
class ThreadMatch:
    case: Case | None
    threaded_by: str  # "references", "subject" or ""
    note: str = ""  # why a case that was found was not used


def reference_in(text: str) -> str:
    """The first case reference (``C-2026-000123``) in ``text``, or ""."""
    match = CASE_REFERENCE.search(text or "")
    return match.group(1) if match else ""


def _case_by_message_ids(message_ids: list[str], customer: Customer) -> Case | None:
    """The case of the most recent message among ``message_ids`` (In-Reply-To
    first, then References from the newest), the customer's own before anyone
    else's. An id that several messages carry (broken mailers reuse them) names
    the customer's own, newest first."""
    wanted = [value.strip("<>") for value in message_ids if value][:MAX_REFERENCES]
    if not wanted:
        return None
    found: dict[str, Case] = {}
    for interaction in (
        # An inner join on the case (its customer is never null), so its rows
        # can be locked with the interaction's.
        Interaction.objects.filter(
            HAS_MESSAGE_ID, message_id__in=wanted, case__customer__isnull=False
        )
        .select_related("case__customer")
        .select_for_update(of=("case",))
        .only("message_id", "case", "customer_id")
        .order_by("id")
    ):
        case = interaction.case
        if case is None:
            continue
        current = found.get(interaction.message_id)
        holds_own = current is not None and current.customer_id == customer.pk
        if not holds_own or case.customer_id == customer.pk:  # newer, own first
            found[interaction.message_id] = case
    # A reply may answer someone else's message (In-Reply-To names a colleague's
    # or another customer's email, as group threads and copied replies do) while
    # its References still hold the sender's own: their own case comes first.
    ordered = [found[message_id] for message_id in wanted if message_id in found]
    own = [case for case in ordered if case.customer_id == customer.pk]
    return (own or ordered)[0] if ordered else None


def thread_find(
    *,
    customer: Customer,
    in_reply_to: list[str],
    references: list[str],
    subject: str,
) -> ThreadMatch:
    """The customer's case this message continues, if any, locked until the end
    of the caller's transaction (``FOR UPDATE`` on PostgreSQL; SQLite's write lock
    covers it), so the caller may write it without reading it again.

    A case found through headers or the subject but belonging to someone else is
    not used (a stranger must not write into another customer's case): the message
    opens a new case, with a note naming the other one.
    """
    by_headers = _case_by_message_ids([*in_reply_to, *reversed(references)], customer)
    candidates: list[tuple[Case, str]] = []
    if by_headers is not None:
        candidates.append((by_headers, "references"))
    reference = reference_in(subject)
    if reference and (by_headers is None or by_headers.reference != reference):
        by_subject = (
            Case.objects.select_related("customer")
            .select_for_update(of=("self",))
            .filter(reference=reference)
            .first()
        )
        if by_subject is not None:
            candidates.append((by_subject, "subject"))
    notes: list[str] = []
    for case, threaded_by in candidates:
        if case.customer_id == customer.pk:
            return ThreadMatch(case=case, threaded_by=threaded_by)
        notes.append(f"{case.reference} belongs to another customer")
    return ThreadMatch(case=None, threaded_by="", note="; ".join(notes))
