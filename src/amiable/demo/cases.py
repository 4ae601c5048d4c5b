"""Demo cases with their interactions on every channel, and case-less contacts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F

from amiable.accounts.models import User
from amiable.cases.models import Case, CasePriority, CaseSequence, CaseStatus
from amiable.cases.references import format_reference
from amiable.commerce.models import Order
from amiable.conversations.models import Channel, Direction, Interaction
from amiable.customers.models import Customer
from amiable.demo.people import BATCH, Block
from amiable.demo.staff import TEAM_BY_KIND, DemoStaff
from amiable.demo.texts import (
    CALL_SUMMARIES,
    FOLLOW_UPS,
    NOTES,
    REPLIES,
    REVIEWS,
    TOPICS,
    Topic,
)

HOUR = dt.timedelta(hours=1)
KIND_WEIGHTS = {"question": 35, "request": 30, "complaint": 25, "dispute": 10}
OPENING_CHANNELS = (
    (Channel.EMAIL, 50),
    (Channel.PHONE, 15),
    (Channel.CHAT, 10),
    (Channel.PORTAL, 8),
    (Channel.SOCIAL, 6),
    (Channel.LETTER, 4),
    (Channel.SMS, 4),
    (Channel.REVIEW, 3),
    (Channel.IN_PERSON, 3),  # a customer at the shop's counter
)
REPLY_CHANNEL: dict[str, str] = {
    Channel.IN_PERSON: Channel.PHONE,
    Channel.PORTAL: Channel.EMAIL,
    Channel.LETTER: Channel.EMAIL,
    Channel.REVIEW: Channel.EMAIL,
}
CASELESS_SHARE = 0.08


@dataclass
class PlannedCase:
    case: Case
    orders: list[Order]
    interactions: list[Interaction] = field(default_factory=list)


def reference_reserve(*, year: int, count: int) -> int:
    """Reserve ``count`` consecutive case numbers of ``year``; return the first.

    The demo writes cases in bulk, so it takes a block of the sequence under the
    same row lock ``reference_next`` uses: later cases never reuse these numbers.
    """
    with transaction.atomic():
        CaseSequence.objects.get_or_create(year=year)
        sequence = CaseSequence.objects.select_for_update().get(year=year)
        first = sequence.last_number + 1
        CaseSequence.objects.filter(year=year).update(
            last_number=F("last_number") + count
        )
    return first


def _pick_topic(block: Block, has_orders: bool) -> Topic:
    rng = block.rng
    kinds = list(KIND_WEIGHTS)
    kind = rng.choices(kinds, weights=[KIND_WEIGHTS[k] for k in kinds])[0]
    candidates = [
        topic
        for topic in TOPICS
        if topic.kind == kind and (has_orders or not topic.about_order)
    ]
    return rng.choice(candidates or [t for t in TOPICS if not t.about_order])


def _status(block: Block, opened_at: dt.datetime, assigned: bool) -> str:
    rng = block.rng
    age_days = (block.now - opened_at).total_seconds() / 86400
    if not assigned:
        return CaseStatus.NEW
    if age_days > 21:
        return rng.choices(
            [CaseStatus.CLOSED, CaseStatus.RESOLVED, CaseStatus.WAITING_CUSTOMER],
            weights=[65, 30, 5],
        )[0]
    return rng.choices(
        [
            CaseStatus.OPEN,
            CaseStatus.WAITING_CUSTOMER,
            CaseStatus.WAITING_THIRD_PARTY,
            CaseStatus.RESOLVED,
        ],
        weights=[45, 25, 10, 20],
    )[0]


def _priority(block: Block, kind: str) -> str:
    weights = [10, 45, 30, 15] if kind in {"complaint", "dispute"} else [25, 60, 12, 3]
    return block.rng.choices(CasePriority.values, weights=weights)[0]


def _fill(template: str, values: dict[str, str]) -> str:
    return template.format(**values)


def cases_build(block: Block, staff: DemoStaff) -> int:
    """Create the block's cases and interactions; return how many interactions."""
    rng = block.rng
    customers = block.created_customers
    planned: list[PlannedCase] = []
    for _number in range(block.cases):
        customer = rng.choice(customers)
        own_orders = block.orders_by_customer.get(customer.pk, [])
        topic = _pick_topic(block, bool(own_orders))
        order = rng.choice(own_orders) if topic.about_order and own_orders else None
        if order is not None:
            opened_at = min(
                order.placed_at + dt.timedelta(days=rng.uniform(1, 20)),
                block.now - HOUR,
            )
        else:
            opened_at = block.moment_within(548)
        team_name = TEAM_BY_KIND[topic.kind]
        agents = staff.agents_by_team.get(team_name, [])
        assignee = rng.choice(agents) if agents and rng.random() < 0.9 else None
        channel = rng.choices(
            [c for c, _w in OPENING_CHANNELS], weights=[w for _c, w in OPENING_CHANNELS]
        )[0]
        case = Case(
            customer=customer,
            kind=topic.kind,
            category=topic.category,
            priority=_priority(block, topic.kind),
            status=_status(block, opened_at, assignee is not None),
            channel=channel,
            team=staff.teams.get(team_name),
            assignee=assignee,
            opened_at=opened_at,
            last_activity_at=opened_at,
        )
        planned.append(PlannedCase(case=case, orders=[order] if order else []))
    caseless = round(block.interactions * CASELESS_SHARE)
    _plan_interactions(block, planned, block.interactions - caseless)
    _assign_references(planned)
    created = Case.objects.bulk_create([p.case for p in planned], batch_size=BATCH)
    links = [
        Case.orders.through(case_id=case.pk, order_id=order.pk)
        for case, plan in zip(created, planned, strict=True)
        for order in plan.orders
    ]
    Case.orders.through.objects.bulk_create(links, batch_size=BATCH)
    interactions = [item for plan in planned for item in plan.interactions]
    for plan in planned:
        for item in plan.interactions:
            item.case = plan.case
    interactions.extend(_caseless(block, caseless))
    Interaction.objects.bulk_create(interactions, batch_size=BATCH)
    return len(interactions)


def _assign_references(planned: list[PlannedCase]) -> None:
    by_year: dict[int, list[PlannedCase]] = defaultdict(list)
    for plan in sorted(planned, key=lambda p: p.case.opened_at):
        by_year[plan.case.opened_at.year].append(plan)
    for year, plans in by_year.items():
        first = reference_reserve(year=year, count=len(plans))
        for offset, plan in enumerate(plans):
            plan.case.reference = format_reference(year, first + offset)


def _plan_interactions(block: Block, planned: list[PlannedCase], total: int) -> None:
    rng = block.rng
    counts = [1 if p.case.status == CaseStatus.NEW else 2 for p in planned]
    growable = [i for i, p in enumerate(planned) if p.case.status != CaseStatus.NEW]
    leftover = total - sum(counts)
    while leftover > 0 and growable:
        index = rng.choice(growable)
        if counts[index] < 12:
            counts[index] += 1
            leftover -= 1
        elif all(counts[i] >= 12 for i in growable):
            break
    for plan, count in zip(planned, counts, strict=True):
        _conversation(block, plan, count)


def _conversation(block: Block, plan: PlannedCase, count: int) -> None:
    rng = block.rng
    case = plan.case
    customer: Customer = case.customer
    language = customer.preferred_language if customer.preferred_language else "fr"
    language = language if language in REPLIES else "fr"
    agent: User | None = case.assignee
    order = plan.orders[0] if plan.orders else None
    shipment = block.shipments_by_order.get(order.pk) if order else None
    values = {
        "name": customer.name,
        "order": order.external_ref if order else "",
        "product": rng.choice(
            ["Pull en laine mérinos", "Veste imperméable", "Lampe de bureau LED"]
        ),
        "carrier": shipment.carrier if shipment else "Colissimo",
        "tracking": shipment.tracking_number if shipment else "—",
        "agent": agent.first_name if agent else "L'équipe",
        "days": str(rng.randint(3, 15)),
    }
    topic = next(t for t in TOPICS if t.category == case.category)
    case.subject = _fill(topic.subject[language], values)[:255]
    moment = case.opened_at
    items = plan.interactions
    items.append(
        _message(
            customer,
            case.channel,
            Direction.INBOUND,
            moment,
            language,
            body=_fill(topic.opening[language], values),
            subject=case.subject,
        )
    )
    reply_channel = REPLY_CHANNEL.get(case.channel, case.channel)
    for step in range(1, count):
        moment = min(moment + HOUR * rng.uniform(0.5, 60), block.now - HOUR * 0.1)
        roll = rng.random()
        if step % 2 == 1 or agent is None:
            if roll < 0.12:
                items.append(
                    _message(
                        customer,
                        Channel.NOTE,
                        Direction.INTERNAL,
                        moment,
                        "fr",
                        body=rng.choice(NOTES),
                        author=agent,
                    )
                )
                continue
            body = rng.choice(
                CALL_SUMMARIES[language]
                if reply_channel == Channel.PHONE
                else REPLIES[language]
            )
            reply = _message(
                customer,
                reply_channel,
                Direction.OUTBOUND,
                moment,
                language,
                body=_fill(body, values),
                subject=f"Re: {case.subject}" if reply_channel == Channel.EMAIL else "",
                author=agent,
            )
            items.append(reply)
            if case.first_responded_at is None:
                case.first_responded_at = moment
        else:
            items.append(
                _message(
                    customer,
                    reply_channel,
                    Direction.INBOUND,
                    moment,
                    language,
                    body=rng.choice(FOLLOW_UPS[language]),
                )
            )
    case.last_activity_at = moment
    if case.status in {CaseStatus.RESOLVED, CaseStatus.CLOSED}:
        case.resolved_at = min(moment + HOUR, block.now)
        case.last_activity_at = case.resolved_at
        if case.status == CaseStatus.CLOSED:
            case.closed_at = min(case.resolved_at + dt.timedelta(days=7), block.now)
            case.last_activity_at = case.closed_at


def _message(
    customer: Customer,
    channel: str,
    direction: str,
    moment: dt.datetime,
    language: str,
    *,
    body: str,
    subject: str = "",
    author: User | None = None,
) -> Interaction:
    metadata: dict[str, object] = {}
    seconds = 0
    if channel == Channel.PHONE:
        seconds = 60 + sum(map(ord, body)) % 600
        metadata = {"duration_seconds": seconds, "outcome": "answered"}
    elif channel == Channel.EMAIL and direction == Direction.OUTBOUND:
        metadata = {"delivery": "sent", "demo": True}
    return Interaction(
        customer=customer,
        channel=channel,
        direction=direction,
        author=author if direction != Direction.INBOUND else None,
        occurred_at=moment,
        subject=subject[:255],
        body_text=body,
        language=language,
        time_spent_seconds=seconds,
        metadata=metadata,
    )


def _caseless(block: Block, count: int) -> list[Interaction]:
    rng = block.rng
    items: list[Interaction] = []
    for _number in range(count):
        customer = rng.choice(block.created_customers)
        language = customer.preferred_language
        language = language if language in REVIEWS else "fr"
        channel = rng.choice([Channel.REVIEW, Channel.SOCIAL, Channel.CHAT])
        body = (
            rng.choice(REVIEWS[language])
            if channel != Channel.CHAT
            else rng.choice(FOLLOW_UPS[language])
        )
        items.append(
            _message(
                customer,
                channel,
                Direction.INBOUND,
                block.moment_within(548),
                language,
                body=body,
            )
        )
    return items
