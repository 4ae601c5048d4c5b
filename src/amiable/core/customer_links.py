"""Links that take a customer to their own page, for messages written by apps that
sit below the one serving those pages.

The customer portal (``portal``) is built on promises, feedback, cases…: those apps
must not import it, yet their messages should say "follow it here". The portal
registers the one link maker in its ``AppConfig.ready``::

    customer_link_register(portal_customer_link)   # (CustomerLinkRequest) -> str

and a lower app asks for a link while it writes its message::

    url = customer_link(customer_id=…, target=CustomerLinkTarget.ORDER, object_id=…)

The maker returns an absolute link that opens the page for that customer only, and
expires. ``customer_link`` returns None when no maker is registered (a deployment
without the portal): the message simply goes without a link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class CustomerLinkTarget(StrEnum):
    HOME = "home"
    ORDER = "order"  # object_id: the order
    CASE = "case"  # object_id: the case
    PROMISES = "promises"


@dataclass(frozen=True)
class CustomerLinkRequest:
    customer_id: int
    target: CustomerLinkTarget
    object_id: int | None = None


CustomerLinkMaker = Callable[[CustomerLinkRequest], str]

_MAKERS: list[CustomerLinkMaker] = []


def customer_link_register(maker: CustomerLinkMaker) -> None:
    """Set the link maker (one per deployment; registering again replaces it)."""
    _MAKERS[:] = [maker]


def customer_link_unregister() -> None:
    _MAKERS.clear()


def customer_link(
    *,
    customer_id: int,
    target: CustomerLinkTarget,
    object_id: int | None = None,
) -> str | None:
    """An absolute, customer-scoped, expiring link to ``target``, or None when no
    app makes such links."""
    if not _MAKERS:
        return None
    return _MAKERS[0](
        CustomerLinkRequest(customer_id=customer_id, target=target, object_id=object_id)
    )
