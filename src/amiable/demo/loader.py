"""Loading the demo data set: ``amiable demo`` and the first ``amiable run``.

This is a fixture-like bulk loader, not a use case: to load thousands of rows in
seconds it writes with ``bulk_create`` in batches, one transaction per block of
customers, instead of calling the per-row services (which audit and enqueue tasks).
The few staff rows, teams and products still go through the services. Full-text
indexes follow through their database triggers; case references are reserved from
``CaseSequence`` so cases opened later never reuse them.

Idempotent: the data set is cut into blocks of ``BLOCK_CUSTOMERS`` customers; each
block is written atomically with deterministic order references
(``DEMO-<seed>-<block>-<n>``), and a block whose first order exists is skipped. Running
it twice adds nothing; a larger ``--scale`` later adds only the missing blocks.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from django.db import transaction
from faker import Faker
from tqdm import tqdm

from amiable.commerce.models import Order
from amiable.core.clock import now
from amiable.core.errors import ValidationError
from amiable.demo.cases import cases_build
from amiable.demo.classification import classification_demo_ensure
from amiable.demo.disputes_quality import disputes_quality_demo_ensure
from amiable.demo.gestures import demo_gestures_ensure
from amiable.demo.inbound import inbound_demo_ensure
from amiable.demo.people import Block, customers_build, order_ref, orders_build
from amiable.demo.promises import demo_promises_ensure
from amiable.demo.service_levels import service_levels_ensure
from amiable.demo.services import demo_database_mark
from amiable.demo.staff import demo_staff_ensure

BLOCK_CUSTOMERS = 50
PER_CUSTOMER = {"orders": 4.0, "cases": 1.6, "interactions": 6.0}
BASE_CUSTOMERS = 500
MAX_SCALE = 1000


@dataclass(frozen=True)
class DemoSummary:
    customers: int
    orders: int
    cases: int
    interactions: int
    skipped_blocks: int
    seconds: float
    demo_password: str  # of the demo accounts, in this demo database only


@dataclass(frozen=True)
class BlockPlan:
    index: int
    customers: int
    orders: int
    cases: int
    interactions: int


def demo_plan(*, scale: float) -> list[BlockPlan]:
    """Cut ``scale`` x 500 customers (and their orders, cases, contacts) in blocks."""
    if not 0 < scale <= MAX_SCALE:
        raise ValidationError(
            f"The scale must be above 0 and at most {MAX_SCALE}.",
            fields={"scale": ["Out of range."]},
        )
    total = max(1, round(BASE_CUSTOMERS * scale))
    plans: list[BlockPlan] = []
    for index, start in enumerate(range(0, total, BLOCK_CUSTOMERS)):
        size = min(BLOCK_CUSTOMERS, total - start)
        plans.append(
            BlockPlan(
                index=index,
                customers=size,
                orders=max(1, round(size * PER_CUSTOMER["orders"])),
                cases=max(1, round(size * PER_CUSTOMER["cases"])),
                interactions=max(1, round(size * PER_CUSTOMER["interactions"])),
            )
        )
    return plans


def demo_load(
    *, scale: float = 1.0, seed: int = 1, progress: bool = True
) -> DemoSummary:
    """Load the demo data set (see the module docstring); returns what was added.

    Marks the database as a demo one first (its demo accounts need it).

    Raises NotADemoDatabaseError when the database holds real data.
    """
    started = time.monotonic()
    plans = demo_plan(scale=scale)
    mark = demo_database_mark()
    staff = demo_staff_ensure(mark)
    markers = {order_ref(seed, plan.index, 1): plan for plan in plans}
    present = set(
        Order.objects.filter(external_ref__in=list(markers)).values_list(
            "external_ref", flat=True
        )
    )
    fakers = {"fr": Faker("fr_FR"), "en": Faker("en_GB")}
    moment = now()
    totals = {"customers": 0, "orders": 0, "cases": 0, "interactions": 0}
    skipped = 0
    with tqdm(
        total=sum(plan.customers for plan in plans),
        unit=" customers",
        desc="Demo data",
        disable=None if progress else True,
    ) as bar:
        for ref, plan in markers.items():
            if ref in present:
                skipped += 1
                bar.update(plan.customers)
                continue
            block_seed = seed * 100_003 + plan.index
            for language, fake in fakers.items():
                fake.seed_instance(f"{block_seed}-{language}")
            block = Block(
                seed=seed,
                index=plan.index,
                customers=plan.customers,
                orders=plan.orders,
                cases=plan.cases,
                interactions=plan.interactions,
                now=moment,
                rng=random.Random(block_seed),  # noqa: S311 (demo data)
                fakers=fakers,
            )
            with transaction.atomic():
                customers_build(block)
                orders_build(block, staff.products)
                interactions = cases_build(block, staff)
            totals["customers"] += plan.customers
            totals["orders"] += plan.orders
            totals["cases"] += plan.cases
            totals["interactions"] += interactions
            bar.update(plan.customers)
    agents = [agent for team in staff.agents_by_team.values() for agent in team]
    # The resolution demo first: its taxonomies and calendars serve the others.
    service_levels_ensure(staff=staff, now=moment)
    demo_gestures_ensure(staff)
    disputes_quality_demo_ensure(staff=staff, now=moment)
    demo_promises_ensure(agents=agents, seed=seed)
    inbound_demo_ensure(
        team=next(iter(staff.teams.values()), None),
        agent=agents[0] if agents else None,
    )
    classification_demo_ensure()
    return DemoSummary(
        **totals,
        skipped_blocks=skipped,
        seconds=time.monotonic() - started,
        demo_password=mark.password,
    )
