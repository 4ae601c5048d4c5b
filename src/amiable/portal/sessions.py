"""Who the portal visitor is: a customer signed in by a link or a code, kept in
the session for a few hours. Staff sessions are untouched."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest

from amiable.core.clock import now
from amiable.customers.models import Customer, CustomerStatus

SESSION_CUSTOMER = "portal_customer_id"
SESSION_UNTIL = "portal_until"
SESSION_HOURS = 12
MAX_MERGE_HOPS = 5


def surviving_customer(customer: Customer) -> Customer | None:
    """Follow merges to the customer that survived (links sent before a merge)."""
    current: Customer | None = customer
    for _hop in range(MAX_MERGE_HOPS):
        if current is None or current.status == CustomerStatus.ACTIVE:
            return current
        current = current.merged_into
    return None


def portal_sign_in(request: HttpRequest, customer: Customer) -> None:
    """Start a portal session for ``customer`` (a new session key: no fixation)."""
    request.session.cycle_key()
    request.session[SESSION_CUSTOMER] = customer.pk
    request.session[SESSION_UNTIL] = (
        now() + dt.timedelta(hours=SESSION_HOURS)
    ).isoformat()


def portal_sign_out(request: HttpRequest) -> None:
    request.session.pop(SESSION_CUSTOMER, None)
    request.session.pop(SESSION_UNTIL, None)


def portal_customer(request: HttpRequest) -> Customer | None:
    """The signed-in customer, or None (never signed in, expired, erased)."""
    customer_id = request.session.get(SESSION_CUSTOMER)
    until = request.session.get(SESSION_UNTIL)
    if not isinstance(customer_id, int) or not isinstance(until, str):
        return None
    try:
        expires = dt.datetime.fromisoformat(until)
    except ValueError:
        return None
    if expires <= now():
        portal_sign_out(request)
        return None
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        return None
    return surviving_customer(customer)
