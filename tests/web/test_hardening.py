"""HTTP hardening: the Content-Security-Policy on every page, no inline script in
any template, settings read from the environment and checked, one log line per
refused request, CR/LF refused in customer names and case subjects, review links
limited to http(s) (tests/inbound/test_review_links.py)."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from amiable.accounts.models import User
from amiable.cases.services import case_open
from amiable.customers.services import customer_create, customer_update

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "amiable"
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "status"), [("/login/", 200), ("/portal/", 200), ("/admin/", 302)]
)
def test_every_page_carries_the_strict_policy(path: str, status: int) -> None:
    response = Client().get(path)

    assert response.status_code == status
    assert response.headers["Content-Security-Policy"] == POLICY


@pytest.mark.django_db
def test_the_admin_login_page_leads_to_the_one_sign_in() -> None:
    response = Client().get("/admin/login/?next=/admin/accounts/user/")

    assert response.status_code == 302
    assert response.headers["Location"] == "/login/?next=%2Fadmin%2Faccounts%2Fuser%2F"


def test_the_policy_is_on_signed_in_pages_too(web_client: Client) -> None:
    response = web_client.get(reverse("cases:inbox"))

    assert response.headers["Content-Security-Policy"] == POLICY


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)


def _page_templates() -> list[Path]:
    # E-mail bodies are not pages: mail clients need their inline styles.
    return sorted(
        path
        for path in PACKAGE.glob("*/templates/**/*.html")
        if "/email/" not in path.as_posix()
    )


def test_no_template_has_inline_script_handlers_or_styles() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in _page_templates()
        if INLINE_SCRIPT.search(text := path.read_text(encoding="utf-8"))
        or EVENT_HANDLER.search(text)
        or INLINE_STYLE.search(text)
    ]

    assert len(_page_templates()) > 50
    assert offenders == []


def _settings_with(
    env: dict[str, str], expression: str
) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        **env,
        "DJANGO_SETTINGS_MODULE": "amiable.config.settings",
    }
    return subprocess.run(  # noqa: S603 - our interpreter, fixed code
        [
            sys.executable,
            "-c",
            f"from amiable.config import settings as s; print({expression})",
        ],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        timeout=120,
    )


def test_https_settings_come_from_the_environment() -> None:
    result = _settings_with(
        {
            "AMIABLE_SECURE_COOKIES": "true",
            "AMIABLE_HSTS_SECONDS": "31536000",
            "AMIABLE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
            "AMIABLE_TRUSTED_PROXIES": "10.0.0.0/8, 2001:db8::1",
            "AMIABLE_SESSION_HOURS": "8",
        },
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_PROXY_SSL_HEADER, [str(n) for n in s.AMIABLE_TRUSTED_PROXIES], "
        "s.SESSION_COOKIE_AGE",
    )

    assert result.stdout.strip() == (
        "True True 31536000 ('HTTP_X_FORWARDED_PROTO', 'https') "
        "['10.0.0.0/8', '2001:db8::1/128'] 28800"
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"AMIABLE_TRUSTED_PROXIES": "proxy.local"},
            "AMIABLE_TRUSTED_PROXIES must list",
        ),
        (
            {"AMIABLE_PASSWORD_MIN_LENGTH": "8"},
            "AMIABLE_PASSWORD_MIN_LENGTH must be at least 12",
        ),
        (
            {"AMIABLE_SIGNIN_LOCK_MINUTES": "0"},
            "AMIABLE_SIGNIN_LOCK_MINUTES must be at least 1",
        ),
        (
            {"AMIABLE_SECURE_COOKIES": "maybe"},
            "AMIABLE_SECURE_COOKIES must be true or false",
        ),
        (
            {"AMIABLE_PROXY_SSL_HEADER": "X-Proto: https"},
            "AMIABLE_PROXY_SSL_HEADER must be",
        ),
    ],
)
def test_a_bad_value_stops_the_start(env: dict[str, str], message: str) -> None:
    result = _settings_with(env, "1")

    assert result.returncode == 1
    assert f"ImproperlyConfigured: {message}" in result.stderr


def test_a_refused_page_is_one_log_line_without_traceback(
    web_client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = web_client.get(reverse("quality:problem_list"))

    records = [r for r in caplog.records if r.name == "django.request"]
    assert response.status_code == 403
    assert [(r.getMessage(), r.exc_info, r.exc_text) for r in records] == [
        (
            f"Forbidden (Permission denied): {reverse('quality:problem_list')}",
            None,
            None,
        )
    ]


@pytest.mark.django_db
def test_customer_names_and_case_subjects_lose_their_line_breaks(agent: User) -> None:
    customer = customer_create(actor=agent, name="Jean\r\nBcc: x@exemple.fr")
    customer_update(actor=agent, customer=customer, company_name="ACME\nSA")
    case = case_open(actor=agent, customer=customer, subject="Colis\r\nperdu")

    customer.refresh_from_db()
    assert (customer.name, customer.company_name) == (
        "Jean Bcc: x@exemple.fr",
        "ACME SA",
    )
    assert case.subject == "Colis perdu"


def test_a_refused_api_call_is_one_log_line_without_traceback(
    api_client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    """An agent's token on an administrators' operation: 403, one line."""
    with caplog.at_level(logging.DEBUG):
        response = api_client.get("/api/v1/outbox?channel=portal")

    problems = [
        (r.name, r.getMessage())
        for r in caplog.records
        if r.levelno >= logging.WARNING or r.exc_info or r.exc_text
    ]
    assert response.status_code == 403
    assert problems == [("django.request", "Forbidden: /api/v1/outbox")]


@pytest.mark.django_db
def test_behind_the_https_proxy_pages_carry_hsts_and_secure_cookies(
    settings: SettingsWrapper,
) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.CSRF_COOKIE_SECURE = True

    over_https = Client().get("/login/", HTTP_X_FORWARDED_PROTO="https")
    over_http = Client().get("/login/")

    assert over_https.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert over_https.cookies[settings.CSRF_COOKIE_NAME]["secure"] is True
    assert "Strict-Transport-Security" not in over_http.headers
