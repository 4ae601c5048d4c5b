"""The address of the client a request comes from, trusting only our own proxies.

``REMOTE_ADDR`` is the connecting peer. When that peer is one of the reverse
proxies listed in ``AMIABLE_TRUSTED_PROXIES``, the real client is the right-most
``X-Forwarded-For`` entry that is not itself a trusted proxy: entries further left
were written by the client and prove nothing. Without a trusted peer the header is
ignored, so nobody can pick the address their attempts are counted against.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _parsed(raw: str) -> Address | None:
    try:
        return ipaddress.ip_address(raw.strip())
    except ValueError:
        return None


def _is_trusted(address: Address) -> bool:
    networks = getattr(settings, "AMIABLE_TRUSTED_PROXIES", ())
    return any(address in network for network in networks)


def client_address(request: HttpRequest) -> str:
    """The client's IP address as text ("" when the peer's is unusable)."""
    peer = _parsed(str(request.META.get("REMOTE_ADDR", "")))
    if peer is None:
        return ""
    if not _is_trusted(peer):
        return str(peer)
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    for entry in reversed(forwarded.split(",")):
        hop = _parsed(entry)
        if hop is None:
            # A garbled hop: what comes before it cannot be trusted either.
            return str(peer)
        if not _is_trusted(hop):
            return str(hop)
    return str(peer)
