"""Who the portal visitor is: a customer signed in by a link or a code, kept in
the session for ``PORTAL_SESSION_HOURS``. Staff sessions are untouched. The
session remembers the customer's links generation: once they sign out all links
(``portal_links_revoke``), every open session of theirs ends too."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest

from amiable.core.clock import now
from amiable.customers.models import Customer, CustomerStatus
from amiable.portal.models import PortalAccess
from amiable.portal.signing import links_generation

SESSION_CUSTOMER = "portal_customer_id"
SESSION_UNTIL = "portal_until"
SESSION_GENERATION = "portal_generation"
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
        now() + dt.timedelta(hours=int(settings.PORTAL_SESSION_HOURS))
    ).isoformat()
    request.session[SESSION_GENERATION] = links_generation(customer.pk)


def portal_sign_out(request: HttpRequest) -> None:
    request.session.pop(SESSION_CUSTOMER, None)
    request.session.pop(SESSION_UNTIL, None)
    request.session.pop(SESSION_GENERATION, None)


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
    generation = PortalAccess.objects.filter(customer_id=OuterRef("pk")).values(
        "links_generation"
    )[:1]
    customer = (
        Customer.objects.filter(pk=customer_id)
        .annotate(portal_generation=Coalesce(Subquery(generation), 0))
        .first()
    )
    if customer is None:
        return None
    if customer.portal_generation != request.session.get(SESSION_GENERATION, 0):
        portal_sign_out(request)
        return None
    return surviving_customer(customer)
