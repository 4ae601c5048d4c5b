"""Two-step verification: set up with a real TOTP code, sign in with one, recovery
codes used once, enforcement per role, « sign out everywhere »."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from amiable.accounts.models import RecoveryCode, SignInSettings, TotpDevice, User
from amiable.accounts.services import totp_enrol_confirm, totp_enrol_start
from amiable.audit.models import AuditEvent
from tests.accounts.totp import totp_code

ADDRESS = "198.51.100.20"


def enrolled(user: User, at: dt.datetime) -> tuple[str, list[str]]:
    """Turn two-step verification on for ``user`` at ``at`` (a code of that time
    is spent): its secret and recovery codes."""
    with time_machine.travel(at, tick=False):
        device = totp_enrol_start(actor=user)
        codes = totp_enrol_confirm(actor=user, code=totp_code(device.secret, at))
    return device.secret, codes


def password_step(client: Client, username: str, password: str) -> str:
    response = client.post(
        reverse("web:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 302
    return str(response.headers["Location"])


def verify(client: Client, code: str) -> int:
    response = client.post(
        reverse("web:signin_verify"), {"code": code}, REMOTE_ADDR=ADDRESS
    )
    return int(response.status_code)


def is_signed_in(client: Client) -> bool:
    return bool(client.get(reverse("cases:inbox")).status_code == 200)


def test_setting_up_shows_the_secret_and_a_first_code_turns_it_on(
    web_client: Client, agent: User
) -> None:
    page = web_client.post(reverse("web:two_factor_enrol")).content.decode()
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', page)
    assert secret is not None
    assert f"otpauth://totp/Amiable:agent?secret={secret.group(1)}" in page
    assert 'src="data:image/svg+xml' in page

    response = web_client.post(
        reverse("web:two_factor_confirm"),
        {"code": totp_code(secret.group(1), timezone.now())},
    )

    codes = re.findall(
        r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", response.content.decode()
    )
    assert response.status_code == 200
    assert len(codes) == 10
    stored = set(
        RecoveryCode.objects.filter(user=agent).values_list("code_hash", flat=True)
    )
    assert stored == {
        hashlib.sha256(c.replace("-", "").encode()).hexdigest() for c in codes
    }
    assert TotpDevice.objects.get(user=agent).confirmed_at is not None
    assert (
        AuditEvent.objects.filter(action="two_factor.enable", actor=agent).count() == 1
    )


def test_a_wrong_first_code_keeps_it_off(web_client: Client, agent: User) -> None:
    web_client.post(reverse("web:two_factor_enrol"))

    response = web_client.post(reverse("web:two_factor_confirm"), {"code": "000000"})

    assert response.status_code == 422
    assert "Ce code est erroné" in response.content.decode()
    assert TotpDevice.objects.get(user=agent).confirmed_at is None
    assert RecoveryCode.objects.count() == 0


def test_signing_in_asks_for_the_code_after_the_password(
    agent: User, password: str
) -> None:
    secret, _codes = enrolled(agent, timezone.now() - dt.timedelta(minutes=2))
    client = Client()

    location = password_step(client, "agent", password)
    before = is_signed_in(client)
    status = verify(client, totp_code(secret, timezone.now()))

    assert location == reverse("web:signin_verify")
    assert (before, status, is_signed_in(client)) == (False, 302, True)


def test_a_code_is_never_accepted_twice(agent: User, password: str) -> None:
    secret, _codes = enrolled(agent, timezone.now() - dt.timedelta(minutes=2))
    code = totp_code(secret, timezone.now())
    first, second = Client(), Client()
    password_step(first, "agent", password)
    password_step(second, "agent", password)

    assert verify(first, code) == 302
    assert verify(second, code) == 422
    assert not is_signed_in(second)


def test_a_recovery_code_opens_the_account_once(agent: User, password: str) -> None:
    _secret, codes = enrolled(agent, timezone.now() - dt.timedelta(minutes=2))
    first, second = Client(), Client()
    password_step(first, "agent", password)
    password_step(second, "agent", password)

    assert verify(first, codes[3].upper()) == 302
    assert verify(second, codes[3]) == 422
    assert RecoveryCode.objects.filter(user=agent, used_at__isnull=False).count() == 1


def test_the_second_step_expires_after_five_minutes(agent: User, password: str) -> None:
    secret, _codes = enrolled(agent, timezone.now() - dt.timedelta(minutes=2))
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        password_step(client, "agent", password)
    later = start + dt.timedelta(minutes=6)
    with time_machine.travel(later, tick=False):
        response = client.post(
            reverse("web:signin_verify"), {"code": totp_code(secret, later)}
        )

    assert response.status_code == 302
    assert response.headers["Location"] == reverse("web:login")
    assert not is_signed_in(client)


def test_wrong_codes_count_towards_the_lock(
    agent: User, password: str, settings: SettingsWrapper
) -> None:
    settings.SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS = 3
    secret, _codes = enrolled(agent, timezone.now() - dt.timedelta(minutes=2))
    client = Client()
    password_step(client, "agent", password)

    statuses = [verify(client, "000000") for _n in range(3)]
    locked = verify(client, totp_code(secret, timezone.now()))

    assert statuses == [422, 422, 422]
    assert locked == 422
    assert not is_signed_in(client)


def test_a_role_that_requires_it_must_set_it_up_first(
    agent: User, password: str
) -> None:
    SignInSettings.objects.create(pk=1, two_factor_agents=True)
    client = Client()
    password_step(client, "agent", password)

    inbox = client.get(reverse("cases:inbox"))
    setup = client.post(reverse("web:two_factor_enrol")).content.decode()
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', setup)
    assert secret is not None
    client.post(
        reverse("web:two_factor_confirm"),
        {"code": totp_code(secret.group(1), timezone.now())},
    )

    assert inbox.status_code == 302
    assert inbox.headers["Location"] == reverse("web:account_security")
    assert client.get(reverse("cases:inbox")).status_code == 200


def test_a_role_that_does_not_require_it_goes_straight_in(
    supervisor: User, password: str
) -> None:
    SignInSettings.objects.create(pk=1, two_factor_agents=True)
    client = Client()

    location = password_step(client, "supervisor", password)

    assert location == reverse("cases:inbox")
    assert is_signed_in(client)


def test_turning_it_off_needs_a_code(web_client: Client, agent: User) -> None:
    secret, _codes = enrolled(agent, timezone.now() - dt.timedelta(minutes=2))

    refused = web_client.post(reverse("web:two_factor_disable"), {"code": "123456"})
    accepted = web_client.post(
        reverse("web:two_factor_disable"),
        {"code": totp_code(secret, timezone.now())},
    )

    assert refused.status_code == 422
    assert accepted.status_code == 302
    assert (TotpDevice.objects.count(), RecoveryCode.objects.count()) == (0, 0)


def test_an_administrator_resets_a_lost_phone(
    agent: User, admin_user: User, password: str
) -> None:
    enrolled(agent, timezone.now())
    admin = Client()
    admin.force_login(admin_user)

    admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [agent.pk]},
    )

    assert TotpDevice.objects.filter(user=agent).count() == 0
    assert password_step(Client(), "agent", password) == reverse("cases:inbox")


def test_sign_out_everywhere_ends_every_session_of_the_user(
    agent: User, other_agent: User
) -> None:
    laptop, phone, colleague = Client(), Client(), Client()
    laptop.force_login(agent)
    phone.force_login(agent)
    colleague.force_login(other_agent)

    response = phone.post(reverse("web:sessions_end"))

    assert response.headers["Location"] == reverse("web:login")
    assert (is_signed_in(laptop), is_signed_in(phone), is_signed_in(colleague)) == (
        False,
        False,
        True,
    )
    assert AuditEvent.objects.filter(action="user.sessions_end").count() == 1


def test_a_new_sign_in_after_sign_out_everywhere_works(
    agent: User, password: str
) -> None:
    client = Client()
    client.force_login(agent)
    client.post(reverse("web:sessions_end"))

    password_step(client, "agent", password)

    assert is_signed_in(client)


@pytest.mark.parametrize("url_name", ["web:account_security"])
def test_the_security_page_needs_a_sign_in(db: None, url_name: str) -> None:
    response = Client().get(reverse(url_name))

    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("web:login"))


def test_a_staff_session_ends_after_the_configured_hours(
    agent: User, settings: SettingsWrapper
) -> None:
    settings.SESSION_COOKIE_AGE = 8 * 3600
    start = timezone.now()
    early, late = Client(), Client()
    with time_machine.travel(start, tick=False):
        early.force_login(agent)
        late.force_login(agent)
    with time_machine.travel(start + dt.timedelta(hours=7, minutes=59), tick=False):
        still_in = is_signed_in(early)
    with time_machine.travel(start + dt.timedelta(hours=8, minutes=1), tick=False):
        ended = not is_signed_in(late)

    assert (still_in, ended) == (True, True)
