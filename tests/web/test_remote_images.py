"""Remote images of a message, shown on request through the image proxy, against a
real HTTP server on loopback: the reader's cookies, referrer and browser never reach
the sender's server; only raster images of a bounded size over http(s) are shown; the
proxy refuses private addresses (a setting lets these tests use loopback), forged or
expired links and redirections; agents and customers on the portal get a « show
images » button and, on request, the images through the proxy.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.conversations.image_proxy import (
    USER_AGENT,
    ImageFetchError,
    image_fetch,
    image_proxy_path,
    image_url_of,
)
from amiable.conversations.sanitising import sanitise_html
from amiable.portal.signing import LinkPage
from tests.factories import CaseFactory, CustomerFactory, InteractionFactory
from tests.portal.conftest import link, someone

# A 1x1 PNG.
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


@dataclass
class ImageServer:
    base: str
    requests: list[dict[str, str]] = field(default_factory=list)


@pytest.fixture
def image_server() -> Iterator[ImageServer]:
    recorded: list[dict[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            recorded.append({"path": self.path, **dict(self.headers.items())})
            routes = {
                "/pixel.png": (200, "image/png", PIXEL),
                "/page.html": (200, "text/html", b"<script>alert(1)</script>"),
                "/drawing.svg": (200, "image/svg+xml", b"<svg></svg>"),
                "/big.png": (200, "image/png", PIXEL * 100),
                "/moved.png": (302, "text/plain", b""),
            }
            status, content_type, body = routes.get(self.path, (404, "text/plain", b""))
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if status == 302:
                self.send_header("Location", "/pixel.png")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield ImageServer(
            base=f"http://127.0.0.1:{server.server_address[1]}", requests=recorded
        )
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def loopback_allowed(settings: SettingsWrapper) -> None:
    settings.AMIABLE_IMAGE_PROXY_ALLOW_PRIVATE = True


def test_the_image_comes_without_anything_of_the_reader(
    web_client: Client, image_server: ImageServer, loopback_allowed: None
) -> None:
    path = image_proxy_path(f"{image_server.base}/pixel.png")

    response = web_client.get(
        path,
        headers={
            "Referer": "https://amiable.example/cases/7/",
            "User-Agent": "Firefox",
        },
    )

    assert (response.status_code, response["Content-Type"]) == (200, "image/png")
    assert response.content == PIXEL
    assert response["X-Content-Type-Options"] == "nosniff"
    [seen] = image_server.requests
    assert seen["path"] == "/pixel.png"
    assert seen["User-Agent"] == USER_AGENT
    assert {"Cookie", "Referer"}.isdisjoint(seen)


@pytest.mark.parametrize(
    "name", ["page.html", "drawing.svg", "big.png", "moved.png", "missing.png"]
)
def test_what_is_not_a_small_raster_image_is_not_shown(
    image_server: ImageServer,
    loopback_allowed: None,
    settings: SettingsWrapper,
    name: str,
) -> None:
    settings.AMIABLE_IMAGE_PROXY_MAX_BYTES = len(PIXEL) * 10

    response = Client().get(image_proxy_path(f"{image_server.base}/{name}"))

    assert response.status_code == 502
    assert [seen["path"] for seen in image_server.requests] == [f"/{name}"]


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "10.0.0.7", "[::1]"])
def test_private_addresses_are_refused_without_a_request(
    image_server: ImageServer, host: str
) -> None:
    port = image_server.base.rsplit(":", 1)[1]

    with pytest.raises(ImageFetchError, match="private address"):
        image_fetch(f"http://{host}:{port}/pixel.png")

    assert image_server.requests == []


@pytest.mark.parametrize(
    "url", ["ftp://example.com/a.png", "file:///etc/passwd", "javascript:alert(1)"]
)
def test_only_http_and_https_are_fetched(url: str) -> None:
    with pytest.raises(ImageFetchError, match="only http and https"):
        image_fetch(url)


def test_a_forged_or_expired_link_is_not_found(
    image_server: ImageServer, loopback_allowed: None
) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        path = image_proxy_path(f"{image_server.base}/pixel.png")
    # Signed for another purpose (another salt): not ours to fetch.
    other = signing.TimestampSigner(salt="other").sign_object(image_server.base)
    forged = reverse("conversations:remote_image", args=[other])

    with time_machine.travel(start + dt.timedelta(days=1, hours=1), tick=False):
        expired = Client().get(path)
    tampered = Client().get(forged)

    assert (expired.status_code, tampered.status_code) == (404, 404)
    assert image_server.requests == []


def test_sanitising_shows_remote_images_through_the_proxy_only_on_request() -> None:
    raw = (
        '<p>Voir <img src="https://tracker.example/p.gif?u=7" alt="logo">'
        '<img src="javascript:alert(1)" alt="x"><img src="cid:part1"></p>'
    )

    blocked = sanitise_html(raw)
    shown = sanitise_html(raw, show_images=True)

    assert "tracker.example" not in blocked
    assert "remote-image-blocked" in blocked
    assert _proxied_urls(shown) == ["https://tracker.example/p.gif?u=7"]
    assert "tracker.example" not in shown
    assert "javascript" not in shown
    assert 'src="cid:part1"' in shown


HTML = (
    '<p>Bonjour, voici la photo du colis : <img src="{base}/pixel.png" alt="colis"></p>'
)


PROXIED = re.compile(r'<img src="/attachments/remote/([^/"]+)/"')


def _proxied_urls(page: str) -> list[str | None]:
    """The remote URLs the page's images are fetched from, through the proxy."""
    return [image_url_of(token) for token in PROXIED.findall(page)]


def _message(case: Case, base: str) -> int:
    interaction = InteractionFactory.create(
        customer=case.customer, case=case, body_html=HTML.format(base=base)
    )
    return int(interaction.pk)


def test_an_agent_shows_the_images_of_one_message_on_request(
    web_client: Client, agent: User, image_server: ImageServer
) -> None:
    case = CaseFactory.create(customer=CustomerFactory.create(), team=agent.team)
    pk = _message(case, image_server.base)
    url = reverse("cases:detail", args=[case.pk])

    page = web_client.get(url).content.decode()
    shown = web_client.get(f"{url}?images={pk}").content.decode()

    assert f'href="?images={pk}#interaction-{pk}"' in page
    assert _proxied_urls(page) == []
    assert image_server.base not in page
    assert _proxied_urls(shown) == [f"{image_server.base}/pixel.png"]
    assert image_server.base not in shown
    assert image_server.requests == []  # the reader's browser asks the proxy


def test_a_customer_shows_the_images_on_the_portal(
    db: None, image_server: ImageServer
) -> None:
    alice = someone("Alice Dupré", "alice@exemple.fr", "fr", "CMD-A-1")
    pk = _message(alice.case, image_server.base)
    client = Client()
    client.get(link(alice.customer, LinkPage.CASE, alice.case.pk))
    url = reverse("portal:case", args=[alice.case.pk])

    page = client.get(url).content.decode()
    shown = client.get(f"{url}?images={pk}").content.decode()

    assert 'data-testid="show-images"' in page
    assert (_proxied_urls(page), image_server.base in page) == ([], False)
    assert _proxied_urls(shown) == [f"{image_server.base}/pixel.png"]
    assert 'data-testid="show-images"' not in shown
