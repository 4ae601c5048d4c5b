"""Fixtures of the feedback tests: a customer who agreed to surveys."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from amiable.customers.models import ConsentPurpose, Customer
from amiable.customers.services import consent_record
from amiable.feedback.models import Survey
from amiable.feedback.signing import token_make
from tests.factories import CustomerFactory, IdentityFactory

# Yesterday at 09:00 UTC (10:00 or 11:00 in Paris): outside the default quiet hours
# (21:00–08:00) and always in the past, so a survey requested then is due now.
DAYTIME = (timezone.now() - dt.timedelta(days=1)).replace(
    hour=9, minute=0, second=0, microsecond=0
)


def consent(customer: Customer, *, granted: bool, at: dt.datetime = DAYTIME) -> None:
    consent_record(
        actor=None,
        customer=customer,
        purpose=ConsentPurpose.SURVEYS,
        is_granted=granted,
        source="test",
        recorded_at=at,
    )


@pytest.fixture
def customer(db: None) -> Customer:
    """A French customer with an email address who agreed to surveys."""
    person = CustomerFactory.create(name="Claire Martin", preferred_language="fr")
    IdentityFactory.create(
        customer=person, value="claire@exemple.fr", normalized="claire@exemple.fr"
    )
    consent(person, granted=True, at=DAYTIME - dt.timedelta(days=400))
    return person


def link(survey: Survey, score: int | None = None) -> str:
    path = f"/s/{token_make(survey.public_key)}/"
    return path if score is None else f"{path}?score={score}"
