"""``amiable demo``: realistic data, fast, idempotent, references from the sequence."""

from __future__ import annotations

import phonenumbers
import pytest

from amiable.accounts.models import Role, User
from amiable.cases.models import Case, CaseEscalation, CaseKind, CaseSequence
from amiable.cli import main
from amiable.commerce.models import Order, Shipment, TrackingEvent
from amiable.conversations.models import Channel, Interaction
from amiable.customers.identities import normalize_email
from amiable.customers.models import Consent, Customer, Identity, IdentityKind
from amiable.demo import inbound as inbound_demo


def _counts() -> tuple[int, int, int, int, int]:
    """Rows of the demo blocks (the apps' own activity lines and warnings apart)."""
    return (
        Customer.objects.count(),
        Order.objects.count(),
        Case.objects.count(),
        Interaction.objects.exclude(channel=Channel.SYSTEM)
        .exclude(metadata__has_key="promise_warning")
        .count(),
        User.objects.count(),
    )


@pytest.mark.django_db
def test_demo_at_a_tenth_of_the_scale(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["demo", "--scale", "0.1", "--quiet"])

    assert status == 0
    assert capsys.readouterr().out.startswith(
        "Demo data: 50 customers, 200 orders, 80 cases, 300 interactions added "
        "(0 block(s) already present)"
    )
    # 300 contacts of the blocks, with the inbound demo's; each escalation
    # (demo/service_levels.py) has its activity line.
    assert _counts()[:4] == (
        50 + inbound_demo.CUSTOMERS_ADDED,
        200,
        80 + inbound_demo.CASES_ADDED,
        300 + inbound_demo.INTERACTIONS_ADDED,
    )
    assert (
        Interaction.objects.filter(
            channel=Channel.SYSTEM, metadata__has_key="escalation"
        ).count()
        == CaseEscalation.objects.count()
    )
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert set(Case.objects.values_list("kind", flat=True)) == set(CaseKind.values)
    # Every contact channel; "system" is activity written by the apps, not a contact.
    assert set(
        Interaction.objects.exclude(channel=Channel.SYSTEM).values_list(
            "channel", flat=True
        )
    ) == set(Channel.values) - {Channel.SYSTEM}
    assert Shipment.objects.exists()
    assert TrackingEvent.objects.exists()
    assert Consent.objects.exists()


@pytest.mark.django_db
def test_demo_identities_are_valid() -> None:
    main(["demo", "--scale", "0.1", "--quiet"])

    emails = Identity.objects.filter(kind=IdentityKind.EMAIL)
    phones = Identity.objects.filter(kind=IdentityKind.PHONE)
    assert [normalize_email(i.value) for i in emails] == [i.normalized for i in emails]
    assert all(
        phonenumbers.is_valid_number(phonenumbers.parse(i.normalized))
        and i.normalized.startswith("+")
        for i in phones
    )
    assert emails.count() == 50 + inbound_demo.EMAIL_IDENTITIES_ADDED


@pytest.mark.django_db
def test_demo_twice_adds_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    main(["demo", "--scale", "0.1", "--quiet"])
    before = _counts()
    capsys.readouterr()

    status = main(["demo", "--scale", "0.1", "--quiet"])

    assert status == 0
    assert _counts() == before
    assert capsys.readouterr().out.startswith(
        "Demo data: 0 customers, 0 orders, 0 cases, 0 interactions added "
        "(1 block(s) already present)"
    )


@pytest.mark.django_db
def test_demo_case_references_are_reserved_in_the_sequence() -> None:
    main(["demo", "--scale", "0.1", "--quiet"])

    by_year: dict[int, int] = {}
    for reference in Case.objects.values_list("reference", flat=True):
        year = int(reference.split("-")[1])
        by_year[year] = max(by_year.get(year, 0), int(reference.split("-")[2]))
    assert dict(CaseSequence.objects.values_list("year", "last_number")) == by_year
    assert sum(by_year.values()) == 80 + inbound_demo.CASES_ADDED
