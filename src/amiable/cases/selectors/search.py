"""The global search of the page header and of ``GET /api/v1/search``: cases by
reference, orders by number, customers by email, phone or name, and the cases of the
customers found; grouped by kind and scoped by what the actor may see.

Every lookup uses an index (the unique case reference, the unique order reference,
the unique identity value, the case-per-customer index) or the full-text tables, so
the cost does not grow with the number of rows; the number of queries is fixed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import QuerySet

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.cases.references import REFERENCE_PREFIX, format_reference
from amiable.cases.search import case_search_filter
from amiable.cases.selectors.cases import case_visible_queryset
from amiable.commerce.models import Order
from amiable.commerce.selectors import order_list_by_reference
from amiable.core.clock import now
from amiable.customers.models import Customer
from amiable.customers.selectors import customer_list_matching

SEARCH_LIMIT = 10
MAX_TEXT_LENGTH = 200
# How many years back a reference typed without its year (« 123 ») is looked for.
REFERENCE_YEARS_BACK = 4
_FULL_REFERENCE = re.compile(
    rf"^(?:{REFERENCE_PREFIX}\s*-?\s*)?(\d{{4}})\s*-\s*(\d{{1,6}})$", re.IGNORECASE
)
_NUMBER_ONLY = re.compile(
    rf"^(?:{REFERENCE_PREFIX}\s*-?\s*)?(\d{{1,6}})$", re.IGNORECASE
)


@dataclass(frozen=True)
class SearchResults:
    """What the search found, per kind, each list at most ``SEARCH_LIMIT`` long."""

    text: str
    cases: list[Case]
    orders: list[Order]
    customers: list[Customer]

    @property
    def is_empty(self) -> bool:
        return not (self.cases or self.orders or self.customers)


def case_references_for(text: str, *, year: int) -> list[str]:
    """The case references ``text`` may stand for: « C-2026-000123 », « 2026-123 »,
    « c-2026-123 », and a number alone (« 123 », « 000123 ») in the last years."""
    text = text.strip()
    full = _FULL_REFERENCE.match(text)
    if full:
        return [format_reference(int(full.group(1)), int(full.group(2)))]
    number = _NUMBER_ONLY.match(text)
    if number and int(number.group(1)) > 0:
        return [
            format_reference(year - back, int(number.group(1)))
            for back in range(REFERENCE_YEARS_BACK + 1)
        ]
    return []


def _cases(queryset: QuerySet[Case]) -> QuerySet[Case]:
    return queryset.select_related("customer", "assignee", "team")


def global_search(
    *, actor: User, text: str, limit: int = SEARCH_LIMIT
) -> SearchResults:
    """Search everything the actor may see for ``text`` (see the module docstring)."""
    text = text.strip()[:MAX_TEXT_LENGTH]
    if not text:
        return SearchResults(text="", cases=[], orders=[], customers=[])
    visible = case_visible_queryset(actor=actor)
    cases: dict[int, Case] = {}
    references = case_references_for(text, year=now().year)
    if references:
        for case in _cases(visible.filter(reference__in=references)).order_by(
            "-opened_at", "-id"
        )[:limit]:
            cases[case.pk] = case
    customers = customer_list_matching(actor=actor, text=text, limit=limit)
    if customers.by_identity is not None:
        owner = customers.by_identity
        for case in _cases(visible.filter(customer=owner)).order_by(
            "-opened_at", "-id"
        )[:limit]:
            cases.setdefault(case.pk, case)
    if len(cases) < limit:
        matching = case_search_filter(visible, text).exclude(pk__in=list(cases))
        for case in _cases(matching).order_by("-last_activity_at", "-id")[
            : limit - len(cases)
        ]:
            cases.setdefault(case.pk, case)
    orders = list(order_list_by_reference(actor=actor, text=text)[:limit])
    return SearchResults(
        text=text,
        cases=list(cases.values())[:limit],
        orders=orders,
        customers=customers.all,
    )
