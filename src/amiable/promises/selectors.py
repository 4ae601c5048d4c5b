"""Scoped reads of promises: what a staff member may see, and what a customer
sees of their own on the portal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.accounts.permissions import sees_all_cases
from amiable.cases.models import Case
from amiable.cases.selectors import case_is_visible
from amiable.core.errors import NotFoundError
from amiable.customers.models import Customer
from amiable.promises.models import LIVE_STATES, Promise, PromiseState


@dataclass(frozen=True)
class PromiseFilters:
    states: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    customer_id: int | None = None
    case_id: int | None = None
    order_id: int | None = None
    due_before: dt.datetime | None = None
    live_only: bool = False


def promise_visible_queryset(*, actor: User) -> QuerySet[Promise]:
    """Promises outside cases are visible to all staff; those on a case follow the
    case's visibility (the actor's team, unteamed cases, cases assigned to them)."""
    queryset = Promise.objects.all()
    if sees_all_cases(actor):
        return queryset
    scope = Q(case__isnull=True) | Q(case__team__isnull=True) | Q(case__assignee=actor)
    if actor.team_id is not None:
        scope |= Q(case__team_id=actor.team_id)
    return queryset.filter(scope)


def promise_list(*, actor: User, filters: PromiseFilters) -> QuerySet[Promise]:
    queryset = promise_visible_queryset(actor=actor).select_related(
        "customer", "case", "order", "made_by"
    )
    if filters.states:
        queryset = queryset.filter(state__in=filters.states)
    elif filters.live_only:
        queryset = queryset.filter(state__in=LIVE_STATES)
    if filters.kinds:
        queryset = queryset.filter(kind__in=filters.kinds)
    if filters.customer_id is not None:
        queryset = queryset.filter(customer_id=filters.customer_id)
    if filters.case_id is not None:
        queryset = queryset.filter(case_id=filters.case_id)
    if filters.order_id is not None:
        queryset = queryset.filter(order_id=filters.order_id)
    if filters.due_before is not None:
        queryset = queryset.filter(due_at__lt=filters.due_before)
    return queryset


def promise_get(*, actor: User, promise_id: int) -> Promise:
    """One visible promise. Raises NotFoundError."""
    promise = (
        promise_visible_queryset(actor=actor)
        .select_related("customer", "case", "order", "made_by")
        .filter(pk=promise_id)
        .first()
    )
    if promise is None:
        raise NotFoundError(_("No such promise."))
    return promise


def promise_list_for_case(*, actor: User, case: Case) -> list[Promise]:
    """The promises of a case the actor sees, newest first (the case page's
    panel): one narrow query (their ids) when there is none, then one for the rows
    with who made them and their order. Every promise of a case the actor sees is
    visible: the scope is not joined again for such a case."""
    visible = case_is_visible(actor=actor, case=case)
    ids = list(
        (Promise.objects.all() if visible else promise_visible_queryset(actor=actor))
        .filter(case_id=case.pk)
        .order_by("-made_at", "-id")
        .values_list("pk", flat=True)[:50]
    )
    if not ids:
        return []
    found = Promise.objects.select_related("made_by", "order").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def promise_list_for_customer(*, actor: User, customer_id: int) -> list[Promise]:
    """The latest promises made to a customer (the customer page's panel)."""
    return list(
        promise_visible_queryset(actor=actor)
        .filter(customer_id=customer_id)
        .select_related("case", "order")
        .order_by("-made_at", "-id")[:20]
    )


OVERVIEW_SIZE = 20


@dataclass(frozen=True)
class CustomerPromise:
    """A live promise of the customer; another team's is read-only (no link)."""

    promise: Promise
    is_visible: bool


def promise_list_customer_overview(
    *, actor: User, customer_id: int, exclude_case_id: int | None = None
) -> list[CustomerPromise]:
    """The customer's live promises across every team, the soonest due first, so
    an agent knows what a colleague of another team promised. One narrow query
    (their ids) when there is none, as for most customers; then one for the rows
    with their case, team and order."""
    queryset = Promise.objects.filter(customer_id=customer_id, state__in=LIVE_STATES)
    if exclude_case_id is not None:
        queryset = queryset.exclude(case_id=exclude_case_id)
    ids = list(
        queryset.order_by("due_at", "id").values_list("pk", flat=True)[:OVERVIEW_SIZE]
    )
    if not ids:
        return []
    found = Promise.objects.select_related("case__team", "order").in_bulk(ids)
    promises = [found[pk] for pk in ids if pk in found]
    return [
        CustomerPromise(
            promise=promise,
            is_visible=promise.case is None
            or case_is_visible(actor=actor, case=promise.case),
        )
        for promise in promises
    ]


def portal_promise_list(
    *,
    customer: Customer,
    case_id: int | None = None,
    order_id: int | None = None,
) -> list[Promise]:
    """What the customer sees of their promises: everything but cancelled ones,
    the live ones first. Scoped by the customer, never by a staff actor."""
    queryset = (
        Promise.objects.filter(customer=customer)
        .exclude(state=PromiseState.CANCELLED)
        .select_related("case", "order")
    )
    if case_id is not None:
        queryset = queryset.filter(case_id=case_id)
    if order_id is not None:
        queryset = queryset.filter(order_id=order_id)
    return list(queryset.order_by("-due_at", "-id")[:100])
