"""Remote images of a message, shown on request through our server.

A reader who asks to see a message's images gets them from us, not from the sender's
server: the sender learns neither the reader's address, nor their browser, cookies
or the page they read it on, only that our server fetched the image. Each image URL
is signed (``image_proxy_path``), so the proxy fetches only what was in a message
shown to someone allowed to read it, and only for a day. The fetch (``image_fetch``)
takes http(s) only, refuses private, loopback and link-local addresses (the
server's own network; ``AMIABLE_IMAGE_PROXY_ALLOW_PRIVATE`` lets tests use a
loopback server), connects to the address it checked (no second DNS answer),
follows no redirection, sends no cookie, referrer or reader's user agent, and
keeps raster images of at most ``AMIABLE_IMAGE_PROXY_MAX_BYTES``
(no SVG: it can carry script) fetched within ``AMIABLE_IMAGE_PROXY_TIMEOUT_SECONDS``.
"""

from __future__ import annotations

import datetime as dt
import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "amiable.conversations.remote-image"
MAX_AGE = dt.timedelta(days=1)
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
USER_AGENT = "Amiable image proxy"


class ImageFetchError(Exception):
    """The image cannot be shown; ``reason`` says why (for the log)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class FetchedImage:
    content: bytes
    content_type: str


def image_proxy_path(url: str) -> str:
    """Our path that shows the remote image ``url`` (signed, for a day)."""
    token = signing.TimestampSigner(salt=SALT).sign_object(url, compress=True)
    return reverse("conversations:remote_image", args=[token])


def image_url_of(token: str) -> str | None:
    """The remote URL a token was signed for, None when forged or expired."""
    try:
        url = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    return url if isinstance(url, str) else None


def _checked_address(host: str, port: int) -> str:
    """The first address of ``host``, refused if it is one of our own networks."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ImageFetchError(f"unknown host {host}") from exc
    allow_private = bool(settings.AMIABLE_IMAGE_PROXY_ALLOW_PRIVATE)
    for *_rest, sockaddr in found:
        address = ipaddress.ip_address(sockaddr[0])
        if not address.is_global and not allow_private:
            raise ImageFetchError(f"{host} is a private address ({address})")
        if address.is_multicast or address.is_unspecified:
            raise ImageFetchError(f"{host} is not a host ({address})")
    return str(found[0][4][0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        plain = socket.create_connection((self.address, self.port), self.timeout)
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(plain, server_hostname=self.host)


def image_fetch(url: str) -> FetchedImage:
    """Fetch the image at ``url`` as described above; raises ImageFetchError."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ImageFetchError("only http and https images are fetched")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = _checked_address(parts.hostname, port)
    timeout = float(settings.AMIABLE_IMAGE_PROXY_TIMEOUT_SECONDS)
    kind: Any = (
        _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    )
    connection = kind(parts.hostname, port, address=address, timeout=timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    limit = int(settings.AMIABLE_IMAGE_PROXY_MAX_BYTES)
    try:
        connection.request(
            "GET", path, headers={"User-Agent": USER_AGENT, "Accept": "image/*"}
        )
        response = connection.getresponse()
        if response.status != 200:
            raise ImageFetchError(f"the server answered {response.status}")
        content_type = response.getheader("Content-Type", "").split(";")[0].strip()
        if content_type.lower() not in IMAGE_TYPES:
            raise ImageFetchError(f"not an image we show ({content_type or 'none'})")
        content = response.read(limit + 1)
    except (OSError, http.client.HTTPException) as exc:
        raise ImageFetchError(f"fetch failed: {exc}") from exc
    finally:
        connection.close()
    if len(content) > limit:
        raise ImageFetchError(f"larger than {limit} bytes")
    return FetchedImage(content=content, content_type=content_type.lower())
