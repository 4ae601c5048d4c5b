"""Signed, expiring portal links: a customer, and the page they open on.

The token is ``django.core.signing`` over ``{"c": customer, "p": page, "i": id,
"g": generation}`` with the portal's salt and a timestamp: it cannot be forged or
altered, and it only ever opens its own customer's portal. The page it names is
checked again against that customer when it is shown (a link for A never shows
B's order). ``g`` is the customer's links generation when the link was made: once
the customer signs out all links (``PortalAccess``), older links are invalid.
Lifetime: ``PORTAL_LINK_DAYS``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum

from django.conf import settings
from django.core import signing
from django.urls import reverse

from amiable.core.customer_links import CustomerLinkRequest
from amiable.portal.models import PortalAccess

SALT = "amiable.portal.link"
DEFAULT_LINK_DAYS = 14


class LinkPage(StrEnum):
    HOME = "home"
    ORDER = "order"
    CASE = "case"
    PROMISES = "promises"


class LinkState(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"
    INVALID = "invalid"


@dataclass(frozen=True)
class LinkCheck:
    state: LinkState
    customer_id: int | None = None
    page: LinkPage = LinkPage.HOME
    object_id: int | None = None
    generation: int = 0


def link_max_age() -> dt.timedelta:
    return dt.timedelta(days=getattr(settings, "PORTAL_LINK_DAYS", DEFAULT_LINK_DAYS))


def links_generation(customer_id: int) -> int:
    """The customer's current links generation (0 until they revoke links)."""
    current = (
        PortalAccess.objects.filter(customer_id=customer_id)
        .values_list("links_generation", flat=True)
        .first()
    )
    return current or 0


def link_token_make(
    *, customer_id: int, page: LinkPage = LinkPage.HOME, object_id: int | None = None
) -> str:
    payload: dict[str, object] = {"c": customer_id, "p": str(page)}
    if object_id is not None:
        payload["i"] = object_id
    generation = links_generation(customer_id)
    if generation:
        payload["g"] = generation
    return signing.dumps(payload, salt=SALT, compress=True)


def _parse(payload: object, state: LinkState) -> LinkCheck:
    if not isinstance(payload, dict):
        return LinkCheck(LinkState.INVALID)
    customer_id, page, object_id = payload.get("c"), payload.get("p"), payload.get("i")
    generation = payload.get("g", 0)
    if not isinstance(customer_id, int) or not isinstance(page, str):
        return LinkCheck(LinkState.INVALID)
    if not isinstance(generation, int):
        return LinkCheck(LinkState.INVALID)
    if page not in {member.value for member in LinkPage}:
        return LinkCheck(LinkState.INVALID)
    return LinkCheck(
        state,
        customer_id=customer_id,
        page=LinkPage(page),
        object_id=object_id if isinstance(object_id, int) else None,
        generation=generation,
    )


def link_token_check(token: str) -> LinkCheck:
    """Valid (with its customer and page), expired or revoked (customer known,
    for the language of the page that says so) or invalid."""
    try:
        check = _parse(
            signing.loads(token, salt=SALT, max_age=link_max_age()), LinkState.VALID
        )
        if check.customer_id is not None and check.generation < links_generation(
            check.customer_id
        ):
            return replace(check, state=LinkState.REVOKED)
        return check
    except signing.SignatureExpired:
        try:
            return _parse(signing.loads(token, salt=SALT), LinkState.EXPIRED)
        except signing.BadSignature:
            return LinkCheck(LinkState.INVALID)
    except signing.BadSignature:
        return LinkCheck(LinkState.INVALID)


def portal_link(
    *, customer_id: int, page: LinkPage = LinkPage.HOME, object_id: int | None = None
) -> str:
    """The absolute link for an email (``AMIABLE_PUBLIC_URL``)."""
    base = str(getattr(settings, "AMIABLE_PUBLIC_URL", "http://127.0.0.1:8000"))
    token = link_token_make(customer_id=customer_id, page=page, object_id=object_id)
    return base.rstrip("/") + reverse("portal:link", args=[token])


def portal_customer_link(request: CustomerLinkRequest) -> str:
    """The link maker registered in ``core.customer_links`` (see ``apps.py``): a
    signed, expiring link that opens only ``request.customer_id``'s portal, on the
    page named (the page checks again that the order or case is theirs)."""
    return portal_link(
        customer_id=request.customer_id,
        page=LinkPage(str(request.target)),
        object_id=request.object_id,
    )
