"""A promise warning carries a link to the customer's own portal page (through
``core.customer_links``: promises never import the portal): in the email's text and
HTML parts and in the SMS; it opens that customer's page with the new expected date,
never another customer's, and it expires."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any, cast

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

from amiable.conversations.sms import MemorySmsBackend
from amiable.core.customer_links import (
    CustomerLinkTarget,
    customer_link_register,
    customer_link_unregister,
)
from amiable.customers.models import IdentityKind
from amiable.portal.signing import LinkPage, portal_customer_link
from amiable.promises.models import Promise, PromiseKind, PromiseWarning
from amiable.promises.services import promise_renegotiate, promise_warn
from tests.factories import IdentityFactory
from tests.factories.promises import PromiseFactory, WarningPolicyFactory
from tests.portal.conftest import Someone

LINK = re.compile(r"http://[^\s\"<>]+/portal/l/[^/\s\"<>]+/")


def _delivery_promise(someone: Someone) -> Promise:
    moment = timezone.now()
    return PromiseFactory.create(
        customer=someone.customer,
        case=someone.case,
        order=someone.order,
        kind=PromiseKind.DELIVERY,
        description="Livraison sous 3 jours",
        made_at=moment - dt.timedelta(days=2),
        due_at=moment + dt.timedelta(hours=20),
        original_due_at=moment + dt.timedelta(hours=20),
    )


def _warn(
    promise: Promise, capture: Callable[..., Any], channel: str = "email"
) -> PromiseWarning:
    policy = WarningPolicyFactory.create(
        kind=promise.kind, lead_hours=48, channel=channel
    )
    with capture(execute=True):
        warning = promise_warn(promise=promise, policy=policy)
    assert warning is not None
    return warning


def _day(at: dt.datetime, language: str) -> str:
    with translation.override(language):
        return date_format(timezone.localtime(at), "DATE_FORMAT")


@pytest.mark.django_db
def test_the_warning_email_links_to_the_order_page_with_the_new_date(
    alice: Someone, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    warning = _warn(_delivery_promise(alice), django_capture_on_commit_callbacks)

    [sent] = mail.outbox
    message = cast(EmailMultiAlternatives, sent)
    text_links = LINK.findall(str(message.body))
    [(html, mimetype)] = message.alternatives
    client = Client()
    opened = client.get(text_links[0], follow=True)
    page = opened.content.decode()

    assert message.to == ["alice@exemple.fr"]
    assert len(text_links) == 1
    assert "Suivez l’avancement sur votre espace client : " in message.body
    assert mimetype == "text/html"
    assert f'href="{text_links[0]}"' in str(html)
    assert opened.redirect_chain == [(f"/portal/orders/{alice.order.pk}/", 302)]
    assert opened.status_code == 200
    assert "CMD-A-1" in page
    assert _day(warning.expected_at, "fr") in page
    assert _day(warning.expected_at, "fr") in message.body


@pytest.mark.django_db
def test_a_warning_without_an_order_links_to_the_case_page(
    bob: Someone, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    moment = timezone.now()
    promise = PromiseFactory.create(
        customer=bob.customer,
        case=bob.case,
        kind=PromiseKind.REFUND,
        description="Refund within 5 days",
        made_at=moment - dt.timedelta(days=2),
        due_at=moment + dt.timedelta(hours=20),
        original_due_at=moment + dt.timedelta(hours=20),
    )
    warning = _warn(promise, django_capture_on_commit_callbacks)

    [message] = mail.outbox
    [url] = LINK.findall(str(message.body))
    opened = Client().get(url, follow=True)

    assert "Follow it on your customer page: " in message.body
    assert opened.redirect_chain == [(f"/portal/cases/{bob.case.pk}/", 302)]
    assert "Refund within 5 days" in opened.content.decode()
    assert _day(warning.expected_at, "en") in opened.content.decode()


@pytest.mark.django_db
def test_alices_warning_link_never_shows_bobs_data(
    alice: Someone,
    bob: Someone,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    _warn(_delivery_promise(alice), django_capture_on_commit_callbacks)
    _warn(_delivery_promise(bob), django_capture_on_commit_callbacks)
    links = {
        message.to[0]: LINK.findall(str(message.body))[0] for message in mail.outbox
    }
    client = Client()

    own = client.get(links["alice@exemple.fr"], follow=True)
    bobs_order = client.get(f"/portal/orders/{bob.order.pk}/", follow=True)
    bobs_case = client.get(f"/portal/cases/{bob.case.pk}/", follow=True)

    assert links["alice@exemple.fr"] != links["bob@example.com"]
    assert "CMD-A-1" in own.content.decode()
    assert "CMD-B-1" not in own.content.decode()
    # The link opens its own page only: any other asks for a code.
    for response in (bobs_order, bobs_case):
        assert response.redirect_chain[0][0].startswith("/portal/?next=")
        assert 'data-testid="link-scope-notice"' in response.content.decode()
    for response in (own, bobs_order, bobs_case):
        assert "Bob" not in response.content.decode()


@pytest.mark.django_db
def test_the_warning_link_expires(
    alice: Someone, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    _warn(_delivery_promise(alice), django_capture_on_commit_callbacks)
    [url] = LINK.findall(str(mail.outbox[0].body))

    with time_machine.travel(timezone.now() + dt.timedelta(days=15), tick=False):
        response = Client().get(url)

    assert response.status_code == 410
    assert "CMD-A-1" not in response.content.decode()


@pytest.fixture
def sms_outbox(settings: Any) -> Iterator[list[tuple[str, str, str]]]:
    settings.AMIABLE_SMS_BACKEND = "amiable.conversations.sms.MemorySmsBackend"
    MemorySmsBackend.outbox.clear()
    yield MemorySmsBackend.outbox
    MemorySmsBackend.outbox.clear()


@pytest.mark.django_db
def test_a_warning_by_sms_carries_the_link(
    alice: Someone,
    sms_outbox: list[tuple[str, str, str]],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    IdentityFactory.create(
        customer=alice.customer,
        kind=IdentityKind.PHONE,
        value="+33612345678",
        normalized="+33612345678",
    )
    _warn(_delivery_promise(alice), django_capture_on_commit_callbacks, "sms")

    [(to, body, _sender)] = sms_outbox
    [url] = LINK.findall(body)
    opened = Client().get(url, follow=True)

    assert to == "+33612345678"
    assert mail.outbox == []
    assert "CMD-A-1" in opened.content.decode()


@pytest.fixture
def without_portal_links() -> Iterator[None]:
    customer_link_unregister()
    yield
    customer_link_register(portal_customer_link)


@pytest.mark.django_db
@pytest.mark.usefixtures("without_portal_links")
def test_without_a_link_maker_the_warning_goes_without_a_link(
    alice: Someone, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    _warn(_delivery_promise(alice), django_capture_on_commit_callbacks)

    [message] = mail.outbox

    assert "/portal/" not in message.body
    assert "espace client" not in message.body


@pytest.mark.parametrize("target", list(CustomerLinkTarget))
def test_every_customer_link_target_is_a_portal_page(
    target: CustomerLinkTarget,
) -> None:
    assert LinkPage(str(target)).value == target.value


@pytest.mark.django_db
def test_a_renegotiation_message_links_to_the_page_showing_both_dates(
    alice: Someone,
    agent: Any,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    promise = _delivery_promise(alice)
    later = promise.due_at + dt.timedelta(days=5)

    with django_capture_on_commit_callbacks(execute=True):
        promise_renegotiate(
            actor=agent,
            promise=promise,
            due_at=later,
            reason="Rupture chez le transporteur",
            is_message_sent=True,
        )

    [message] = mail.outbox
    [url] = LINK.findall(str(message.body))
    page = Client().get(url, follow=True).content.decode()

    assert "Suivez l’avancement sur votre espace client : " in message.body
    assert _day(later, "fr") in page
    assert _day(promise.original_due_at, "fr") in page
