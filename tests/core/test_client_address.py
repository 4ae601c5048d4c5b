"""The client address: X-Forwarded-For is read only from a trusted proxy, from the
right, skipping our own proxies; anything else is the connecting address."""

from __future__ import annotations

import ipaddress

import pytest
from django.test import RequestFactory, override_settings

from amiable.core.client_address import client_address

PROXIES = (ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("2001:db8::/32"))


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("203.0.113.5", "", "203.0.113.5"),
        ("203.0.113.5", "198.51.100.1", "203.0.113.5"),
        ("10.0.0.2", "198.51.100.1", "198.51.100.1"),
        ("10.0.0.2", "6.6.6.6, 198.51.100.1", "198.51.100.1"),
        ("10.0.0.2", "198.51.100.1, 10.0.0.9", "198.51.100.1"),
        ("10.0.0.2", "10.0.0.8, 10.0.0.9", "10.0.0.2"),
        ("10.0.0.2", "", "10.0.0.2"),
        ("10.0.0.2", "not-an-ip", "10.0.0.2"),
        ("10.0.0.2", "198.51.100.1, garbage", "10.0.0.2"),
        ("2001:db8::1", "2a01:e0a::7", "2a01:e0a::7"),
        ("", "198.51.100.1", ""),
    ],
)
def test_the_client_address(remote: str, forwarded: str, expected: str) -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded
    )

    with override_settings(AMIABLE_TRUSTED_PROXIES=PROXIES):
        assert client_address(request) == expected


def test_without_trusted_proxies_the_header_is_ignored() -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1"
    )

    with override_settings(AMIABLE_TRUSTED_PROXIES=()):
        assert client_address(request) == "10.0.0.2"
