"""Checking a corpus of real mail ingested twice into an empty database: no crash,
nothing lost, nothing stored twice, robots opened nothing, replies on the right case.

Used by ``scripts/email_corpus_check.py`` (any corpus, a scratch database) and by
the test suite (CPython's own email test data). Read-only: it inspects the ledger
(``InboundEmail``), interactions and cases the two imports left.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import compat32
from email.utils import parseaddr

from amiable.cases.models import Case
from amiable.conversations.models import Direction, Interaction
from amiable.customers.models import Customer
from amiable.inbound.models import InboundEmail, InboundStatus
from amiable.inbound.services import ImportReport

LANDED = frozenset({InboundStatus.OPENED, InboundStatus.THREADED})
ROBOTS = frozenset({InboundStatus.AUTO_REPLY, InboundStatus.BOUNCE})
_HEADERS = BytesParser(policy=compat32)


@dataclass(frozen=True)
class CorpusCheck:
    messages: int
    stored: int
    statuses: Counter[str]
    quarantine_reasons: Counter[str]
    first_pass_duplicates: int
    threaded_replies: int
    problems: list[str] = field(default_factory=list)

    @property
    def is_ok(self) -> bool:
        return not self.problems


def _sender_and_date(raw: bytes) -> tuple[str, str]:
    """The From address and Date of ``raw`` as the stdlib reads them (independent
    of our parser: the yardstick for "the same message")."""
    try:
        head = _HEADERS.parsebytes(raw, headersonly=True)
        sender = parseaddr(str(head.get("from", "")))[1].lower()
        date = " ".join(str(head.get("date", "")).split())
    except Exception:  # noqa: BLE001 (unreadable headers: compared as empty)
        return "", ""
    return sender, date


def _check_ledger(problems: list[str]) -> None:
    for email in InboundEmail.objects.all():
        if email.status == InboundStatus.QUARANTINED:
            if not email.reason:
                problems.append(f"quarantined without a reason: #{email.pk}")
            if not email.raw or email.raw.size != email.raw_size:
                problems.append(f"quarantined without its source: #{email.pk}")
        elif email.status in LANDED and (
            email.case_id is None or email.interaction_id is None
        ):
            problems.append(f"landed without case or interaction: #{email.pk}")


def _check_robots(problems: list[str]) -> None:
    opened = InboundEmail.objects.filter(status=InboundStatus.OPENED).count()
    cases = Case.objects.count()
    if cases != opened:
        problems.append(f"{cases} cases for {opened} messages that opened one")
    robots = set(
        InboundEmail.objects.filter(status__in=ROBOTS).values_list("sender", flat=True)
    )
    people = set(
        InboundEmail.objects.filter(status__in=LANDED).values_list("sender", flat=True)
    )
    created = Customer.objects.filter(identities__normalized__in=robots - people)
    for customer in created:
        problems.append(f"a customer was created for a robot: {customer.pk}")


def _check_threading(problems: list[str]) -> int:
    """Each inbound message answering an earlier one of the same customer is on
    that message's case; returns how many such replies were checked."""
    inbound = list(
        Interaction.objects.filter(direction=Direction.INBOUND, case__isnull=False)
        .exclude(message_id="")
        .only("id", "message_id", "case_id", "customer_id", "metadata")
        .order_by("id")
    )
    by_id: dict[str, list[Interaction]] = {}
    for interaction in inbound:
        by_id.setdefault(interaction.message_id, []).append(interaction)
    checked = 0
    for interaction in inbound:
        facts = interaction.metadata.get("email", {})
        answered = [*facts.get("in_reply_to", []), *reversed(facts.get("references", []))]
        for message_id in answered:
            parents = [
                parent
                for parent in by_id.get(message_id, [])
                if parent.customer_id == interaction.customer_id
                and parent.pk != interaction.pk
            ]
            if parents:
                checked += 1
                if interaction.case_id != parents[-1].case_id:
                    problems.append(
                        f"reply {interaction.pk} ({interaction.message_id}) is on "
                        f"case {interaction.case_id}, its parent on "
                        f"{parents[-1].case_id}"
                    )
                break
    return checked


def corpus_check(
    *, raws: list[bytes], first: ImportReport, second: ImportReport
) -> CorpusCheck:
    """What is wrong after ``raws`` were imported twice (``first`` then ``second``)
    into a database that was empty before."""
    problems: list[str] = []
    for report, name in ((first, "first"), (second, "second")):
        for item in report.crashes:
            reason = item.error or (item.result.reason if item.result else "")
            problems.append(f"crash in the {name} pass: {item.label}: {reason}")
    originals: dict[int, bytes] = {}
    duplicates = 0
    for raw, item in zip(raws, first.items, strict=True):
        if item.result is None:
            continue
        if not item.result.is_duplicate:
            originals[item.result.email_id] = raw
            continue
        duplicates += 1
        original = originals.get(item.result.email_id)
        if original is None:
            problems.append(f"duplicate of nothing seen before: {item.label}")
        elif _sender_and_date(original) != _sender_and_date(raw):
            problems.append(
                f"lost: {item.label} taken for a duplicate of another message "
                f"(same Message-ID, another sender or date)"
            )
    stored = InboundEmail.objects.count()
    if stored != len(originals):
        problems.append(f"{stored} ledger rows for {len(originals)} new messages")
    for item in second.items:
        if item.result is not None and not item.result.is_duplicate:
            problems.append(f"stored twice: {item.label}")
    _check_ledger(problems)
    _check_robots(problems)
    threaded = _check_threading(problems)
    return CorpusCheck(
        messages=len(raws),
        stored=stored,
        statuses=first.statuses,
        quarantine_reasons=first.quarantine_reasons,
        first_pass_duplicates=duplicates,
        threaded_replies=threaded,
        problems=problems,
    )
