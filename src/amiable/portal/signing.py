"""Signed, expiring portal links: a customer, and the page they open on.

The token is ``django.core.signing`` over ``{"c": customer, "p": page, "i": id}``
with the portal's salt and a timestamp: it cannot be forged or altered, and it only
ever opens its own customer's portal. The page it names is checked again against
that customer when it is shown (a link for A never shows B's order)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core import signing
from django.urls import reverse

from amiable.core.customer_links import CustomerLinkRequest

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
    INVALID = "invalid"


@dataclass(frozen=True)
class LinkCheck:
    state: LinkState
    customer_id: int | None = None
    page: LinkPage = LinkPage.HOME
    object_id: int | None = None


def link_max_age() -> dt.timedelta:
    return dt.timedelta(days=getattr(settings, "PORTAL_LINK_DAYS", DEFAULT_LINK_DAYS))


def link_token_make(
    *, customer_id: int, page: LinkPage = LinkPage.HOME, object_id: int | None = None
) -> str:
    payload: dict[str, object] = {"c": customer_id, "p": str(page)}
    if object_id is not None:
        payload["i"] = object_id
    return signing.dumps(payload, salt=SALT, compress=True)


def _parse(payload: object, state: LinkState) -> LinkCheck:
    if not isinstance(payload, dict):
        return LinkCheck(LinkState.INVALID)
    customer_id, page, object_id = payload.get("c"), payload.get("p"), payload.get("i")
    if not isinstance(customer_id, int) or not isinstance(page, str):
        return LinkCheck(LinkState.INVALID)
    if page not in {member.value for member in LinkPage}:
        return LinkCheck(LinkState.INVALID)
    return LinkCheck(
        state,
        customer_id=customer_id,
        page=LinkPage(page),
        object_id=object_id if isinstance(object_id, int) else None,
    )


def link_token_check(token: str) -> LinkCheck:
    """Valid (with its customer and page), expired (customer known, for the
    language of the "expired" page) or invalid."""
    try:
        return _parse(
            signing.loads(token, salt=SALT, max_age=link_max_age()), LinkState.VALID
        )
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
