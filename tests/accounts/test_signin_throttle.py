"""Checked by: 20 wrong passwords lock the account for the configured time from
the configured client address only; an administrator can unlock it."""

from __future__ import annotations

import datetime as dt
import ipaddress

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from amiable.accounts.models import LockScope, SignInFailure, SignInLock, User
from amiable.audit.models import AuditEvent

ATTACKER = "203.0.113.5"
OWNER = "198.51.100.9"
LOCKED_MESSAGE = "Trop de mots de passe erronés"


def attempt(username: str, password: str, address: str, forwarded: str = "") -> str:
    """``signed in``, ``locked`` or ``refused``."""
    client = Client()
    response = client.post(
        reverse("web:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    if response.status_code == 302:
        return "signed in"
    return "locked" if LOCKED_MESSAGE in response.content.decode() else "refused"


def test_twenty_wrong_passwords_lock_the_account_from_that_address_only(
    agent: User, password: str
) -> None:
    wrong = [attempt("agent", f"wrong-{n}", ATTACKER) for n in range(20)]

    assert wrong == ["refused"] * 20
    assert attempt("agent", password, ATTACKER) == "locked"
    assert attempt("agent", password, OWNER) == "signed in"
    lock = SignInLock.objects.get()
    assert (lock.scope, lock.username, lock.address) == (
        LockScope.ACCOUNT_AND_ADDRESS,
        "agent",
        ATTACKER,
    )
    assert lock.until - lock.locked_at == dt.timedelta(minutes=15)
    assert AuditEvent.objects.filter(action="signin.lock").count() == 1


def test_nineteen_wrong_passwords_then_the_right_one_signs_in_and_resets(
    agent: User, password: str
) -> None:
    for n in range(19):
        attempt("agent", f"wrong-{n}", ATTACKER)

    assert attempt("agent", password, ATTACKER) == "signed in"
    assert SignInFailure.objects.filter(username="agent").count() == 0
    assert SignInLock.objects.count() == 0


def test_the_lock_lasts_the_configured_time(
    agent: User, password: str, settings: SettingsWrapper
) -> None:
    settings.SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS = 3
    settings.SIGNIN_LOCK_MINUTES = 30
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for n in range(3):
            attempt("agent", f"wrong-{n}", ATTACKER)
    with time_machine.travel(start + dt.timedelta(minutes=29), tick=False):
        still_locked = attempt("agent", password, ATTACKER)
    with time_machine.travel(start + dt.timedelta(minutes=31), tick=False):
        after = attempt("agent", password, ATTACKER)

    assert (still_locked, after) == ("locked", "signed in")


def test_case_and_spaces_do_not_dodge_the_count_and_unknown_names_count_too(
    agent: User, password: str, settings: SettingsWrapper
) -> None:
    settings.SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS = 3
    for name in ("Agent", " agent", "AGENT"):
        attempt(name, "wrong-password", ATTACKER)
    for _n in range(3):
        attempt("nobody-here", "wrong-password", ATTACKER)

    assert attempt("agent", password, ATTACKER) == "locked"
    assert attempt("nobody-here", "x", ATTACKER) == "locked"


def test_many_accounts_from_one_address_lock_the_address(
    agent: User, password: str, settings: SettingsWrapper
) -> None:
    settings.SIGNIN_FAILURES_PER_ADDRESS = 5
    for n in range(5):
        attempt(f"user{n}", "wrong-password", ATTACKER)

    assert attempt("agent", password, ATTACKER) == "locked"
    assert attempt("agent", password, OWNER) == "signed in"
    assert SignInLock.objects.get().scope == LockScope.ADDRESS


def test_guessing_spread_over_addresses_locks_the_account_at_its_own_limit(
    agent: User, password: str, settings: SettingsWrapper
) -> None:
    settings.SIGNIN_FAILURES_PER_ACCOUNT = 4
    for n in range(4):
        attempt("agent", "wrong-password", f"192.0.2.{n + 1}")

    assert attempt("agent", password, OWNER) == "locked"
    assert SignInLock.objects.get().scope == LockScope.ACCOUNT


def test_an_administrator_lifts_the_lock_in_the_admin(
    agent: User, admin_user: User, password: str, settings: SettingsWrapper
) -> None:
    settings.SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS = 2
    for n in range(2):
        attempt("agent", f"wrong-{n}", ATTACKER)
    lock = SignInLock.objects.get()
    admin = Client()
    admin.force_login(admin_user)

    response = admin.post(
        reverse("admin:accounts_signinlock_changelist"),
        {"action": "lift", "_selected_action": [lock.pk]},
    )

    lock.refresh_from_db()
    assert response.status_code == 302
    assert (lock.lifted_by, lock.lifted_at is not None) == (admin_user, True)
    assert attempt("agent", password, ATTACKER) == "signed in"
    assert AuditEvent.objects.filter(action="signin.unlock", actor=admin_user).exists()


def test_an_agent_cannot_lift_a_lock(
    agent: User, web_client: Client, settings: SettingsWrapper
) -> None:
    settings.SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS = 1
    attempt("agent", "wrong", ATTACKER)
    lock = SignInLock.objects.get()

    response = web_client.post(
        reverse("admin:accounts_signinlock_changelist"),
        {"action": "lift", "_selected_action": [lock.pk]},
    )

    lock.refresh_from_db()
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("admin:login"))
    assert web_client.get(response.headers["Location"]).status_code == 403
    assert lock.lifted_at is None


def test_the_unlock_command_lifts_the_locks_of_an_account(
    agent: User,
    password: str,
    settings: SettingsWrapper,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings.SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS = 2
    for address in (ATTACKER, OWNER):
        for n in range(2):
            attempt("agent", f"wrong-{n}", address)

    call_command("signin_unlock", username="Agent")

    assert capsys.readouterr().out == "2 lock(s) lifted\n"
    assert attempt("agent", password, ATTACKER) == "signed in"
    assert attempt("agent", password, OWNER) == "signed in"


PROXY = "10.0.0.2"


def test_behind_the_trusted_proxy_the_forwarded_client_is_counted(
    agent: User, password: str, settings: SettingsWrapper
) -> None:
    settings.AMIABLE_TRUSTED_PROXIES = (ipaddress.ip_network("10.0.0.0/8"),)
    settings.SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS = 3
    for n in range(3):
        attempt("agent", f"w{n}", PROXY, forwarded=ATTACKER)

    assert attempt("agent", password, PROXY, forwarded=ATTACKER) == "locked"
    assert attempt("agent", password, PROXY, forwarded=OWNER) == "signed in"
    assert SignInLock.objects.get().address == ATTACKER


def test_a_forged_forwarded_header_from_outside_does_not_dodge_the_lock(
    agent: User, password: str, settings: SettingsWrapper
) -> None:
    settings.AMIABLE_TRUSTED_PROXIES = (ipaddress.ip_network("10.0.0.0/8"),)
    settings.SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS = 3
    for n in range(3):
        attempt("agent", f"w{n}", ATTACKER, forwarded=f"192.0.2.{n}")

    assert attempt("agent", password, ATTACKER, forwarded=OWNER) == "locked"
    assert SignInLock.objects.get().address == ATTACKER


def test_unknown_api_tokens_count_against_the_client_address(
    agent: User, password: str, settings: SettingsWrapper
) -> None:
    settings.SIGNIN_FAILURES_PER_ADDRESS = 3
    api = Client(headers={"Authorization": "Bearer amb_00000000_guess"})
    statuses = [
        api.get("/api/v1/cases", REMOTE_ADDR=ATTACKER).status_code for _n in range(3)
    ]

    assert statuses == [401, 401, 401]
    assert SignInFailure.objects.filter(username="", address=ATTACKER).count() == 3
    assert attempt("agent", password, ATTACKER) == "locked"


def test_checked_by_twenty_wrong_passwords_through_the_proxy_lock_for_the_set_time(
    agent: User, password: str, settings: SettingsWrapper
) -> None:
    """The sentence of issue 16, as it is: 20 wrong passwords lock the account for
    the configured time from the configured client address only."""
    settings.AMIABLE_TRUSTED_PROXIES = (ipaddress.ip_network("10.0.0.0/8"),)
    settings.SIGNIN_LOCK_MINUTES = 45
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        wrong = [
            attempt("agent", f"wrong-{n}", PROXY, forwarded=ATTACKER) for n in range(20)
        ]
    with time_machine.travel(start + dt.timedelta(minutes=44), tick=False):
        attacker_later = attempt("agent", password, PROXY, forwarded=ATTACKER)
        owner = attempt("agent", password, PROXY, forwarded=OWNER)
    with time_machine.travel(start + dt.timedelta(minutes=46), tick=False):
        attacker_after = attempt("agent", password, PROXY, forwarded=ATTACKER)

    assert wrong == ["refused"] * 20
    assert (attacker_later, owner, attacker_after) == (
        "locked",
        "signed in",
        "signed in",
    )
    lock = SignInLock.objects.get()
    assert (lock.scope, lock.address) == (LockScope.ACCOUNT_AND_ADDRESS, ATTACKER)
    assert lock.until - lock.locked_at == dt.timedelta(minutes=45)
