"""Who the portal visitor is: a customer signed in by a link or a code, kept in
the session for ``PORTAL_SESSION_HOURS``. Staff sessions are untouched. The
session remembers the customer's links generation: once they sign out all links
(``portal_links_revoke``), every open session of theirs ends too.

A link from a message is single-purpose: the session it opens is scoped to the
page the link names (``LinkScope``: that order, that case, the promises, the
home page); every other page asks for a code sent by e-mail, which opens the
whole customer area. A link forwarded, leaked or left in a mailbox therefore
never reaches the customer's other orders, their new requests or the copy of
their data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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
SESSION_SCOPE = "portal_scope"
MAX_MERGE_HOPS = 5


def surviving_customer(customer: Customer) -> Customer | None:
    """Follow merges to the customer that survived (links sent before a merge)."""
    current: Customer | None = customer
    for _hop in range(MAX_MERGE_HOPS):
        if current is None or current.status == CustomerStatus.ACTIVE:
            return current
        current = current.merged_into
    return None


@dataclass(frozen=True)
class LinkScope:
    """The one page a link session may see: a ``LinkPage`` value and its object."""

    page: str
    object_id: int | None = None


def portal_sign_in(
    request: HttpRequest, customer: Customer, *, scope: LinkScope | None = None
) -> None:
    """Start a portal session for ``customer`` (a new session key: no fixation).

    ``scope`` None (a code) opens the whole customer area; a link's scope opens its
    page only. A link followed by the customer already signed in with a code keeps
    their whole session."""
    if (
        scope is not None
        and portal_customer(request) is not None
        and request.session.get(SESSION_CUSTOMER) == customer.pk
        and request.session.get(SESSION_SCOPE) is None
    ):
        return
    request.session.cycle_key()
    request.session.update(portal_session_values(customer, scope=scope))


def portal_session_values(
    customer: Customer, *, scope: LinkScope | None = None
) -> dict[str, object]:
    """What a portal session of ``customer`` holds (``portal_sign_in``)."""
    return {
        SESSION_CUSTOMER: customer.pk,
        SESSION_UNTIL: (
            now() + dt.timedelta(hours=int(settings.PORTAL_SESSION_HOURS))
        ).isoformat(),
        SESSION_GENERATION: links_generation(customer.pk),
        SESSION_SCOPE: None if scope is None else [scope.page, scope.object_id],
    }


def portal_sign_out(request: HttpRequest) -> None:
    request.session.pop(SESSION_CUSTOMER, None)
    request.session.pop(SESSION_UNTIL, None)
    request.session.pop(SESSION_GENERATION, None)
    request.session.pop(SESSION_SCOPE, None)


def portal_link_scope(request: HttpRequest) -> LinkScope | None:
    """The page a link session is limited to; None for a session opened by a code
    (or no session: ask ``portal_customer`` who is signed in)."""
    stored = request.session.get(SESSION_SCOPE)
    if stored is None:
        return None
    if (
        isinstance(stored, list)
        and len(stored) == 2
        and isinstance(stored[0], str)
        and (stored[1] is None or isinstance(stored[1], int))
    ):
        return LinkScope(page=stored[0], object_id=stored[1])
    # Anything else was not written by us: the narrowest scope, no page.
    return LinkScope(page="")


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
