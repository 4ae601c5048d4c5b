"""Links in messages: revocable (« sign out all links »), lifetime configurable,
never sign a staff member in as the customer; one-time codes limited per e-mail
and per real client address (behind the trusted proxy)."""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from amiable.audit.models import AuditEvent
from amiable.portal.models import PortalAccess
from tests.portal.conftest import Someone, link, signed_in


@pytest.mark.django_db
def test_signing_out_all_links_kills_old_links_and_open_sessions(
    alice: Someone, bob: Someone
) -> None:
    old_link = link(alice.customer)
    laptop, phone = signed_in(alice.customer), signed_in(alice.customer)
    bobs = signed_in(bob.customer)

    response = phone.post("/portal/sign-out-links/")
    reused = Client().get(old_link)
    fresh = Client().get(link(alice.customer))

    assert response.status_code == 302
    assert laptop.get("/portal/promises/").status_code == 302
    assert phone.get("/portal/promises/").status_code == 302
    assert bobs.get("/portal/promises/").status_code == 200
    assert reused.status_code == 410
    assert "Ce lien ne fonctionne plus" in reused.content.decode()
    assert fresh.status_code == 302
    assert PortalAccess.objects.get(customer=alice.customer).links_generation == 1
    assert AuditEvent.objects.filter(action="portal.links_revoke").count() == 1


@pytest.mark.django_db
def test_signing_out_all_links_needs_a_signed_in_customer(alice: Someone) -> None:
    response = Client().post("/portal/sign-out-links/")

    assert response.status_code == 302
    assert PortalAccess.objects.count() == 0


@pytest.mark.django_db
def test_a_staff_member_opening_a_customer_link_is_not_signed_in_as_them(
    web_client: Client, alice: Someone
) -> None:
    response = web_client.get(link(alice.customer))

    assert response.status_code == 403
    assert 'data-testid="staff-link-notice"' in response.content.decode()
    assert "portal_customer_id" not in web_client.session
    assert web_client.get(f"/portal/orders/{alice.order.pk}/").status_code == 302


@pytest.mark.django_db
def test_the_link_lifetime_is_a_setting(
    alice: Someone, settings: SettingsWrapper
) -> None:
    settings.PORTAL_LINK_DAYS = 2
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        token_link = link(alice.customer)
    with time_machine.travel(start + dt.timedelta(days=1, hours=23), tick=False):
        inside = Client().get(token_link).status_code
    with time_machine.travel(start + dt.timedelta(days=2, hours=1), tick=False):
        outside = Client().get(token_link).status_code

    assert (inside, outside) == (302, 410)


@pytest.fixture
def ask(django_capture_on_commit_callbacks: Callable[..., Any]) -> Callable[..., Any]:
    def run(email: str, ip: str, forwarded: str = "") -> int:
        with django_capture_on_commit_callbacks(execute=True):
            response = Client().post(
                "/portal/code/",
                {"email": email},
                REMOTE_ADDR=ip,
                HTTP_X_FORWARDED_FOR=forwarded,
            )
        return int(response.status_code)

    return run


@pytest.mark.django_db
def test_codes_for_one_address_are_limited_per_client_not_for_everyone(
    alice: Someone, ask: Callable[..., int]
) -> None:
    attacker = [ask("alice@exemple.fr", "192.0.2.66") for _n in range(4)]
    alice_herself = ask("alice@exemple.fr", "198.51.100.7")

    assert attacker == [200, 200, 200, 429]
    assert alice_herself == 200
    assert len(mail.outbox) == 4


@pytest.mark.django_db
def test_codes_for_one_address_are_limited_in_all(
    alice: Someone, ask: Callable[..., int], settings: SettingsWrapper
) -> None:
    settings.PORTAL_CODES_PER_EMAIL = 5
    statuses = [ask("alice@exemple.fr", f"192.0.2.{n}") for n in range(6)]

    assert statuses == [200] * 5 + [429]


@pytest.mark.django_db
def test_invented_addresses_from_one_client_behind_the_proxy_block_only_it(
    alice: Someone, ask: Callable[..., int], settings: SettingsWrapper
) -> None:
    settings.AMIABLE_TRUSTED_PROXIES = (ipaddress.ip_network("10.0.0.0/8"),)
    proxy, attacker = "10.1.2.3", "192.0.2.66"
    invented = [
        ask(f"nobody{n}@exemple.fr", proxy, forwarded=attacker) for n in range(21)
    ]
    alice_herself = ask("alice@exemple.fr", proxy, forwarded="198.51.100.7")

    assert invented == [200] * 20 + [429]
    assert alice_herself == 200
    assert len(mail.outbox) == 1
