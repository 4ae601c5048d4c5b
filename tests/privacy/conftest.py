"""Fixtures of the personal data tests: immediate tasks, a customer with data."""

from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from amiable.customers.models import Address, Customer, Identity, IdentityKind
from tests.factories import (
    CaseFactory,
    CustomerFactory,
    IdentityFactory,
    InteractionFactory,
    OrderFactory,
)

NAME = "Hélène Dupré-Lefèvre"
EMAIL = "helene.dupre-lefevre@exemple.fr"


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: SettingsWrapper) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def helene(db: None) -> Customer:
    customer = CustomerFactory.create(name=NAME, notes="Préfère être appelée le soir")
    IdentityFactory.create(customer=customer, value=EMAIL, normalized=EMAIL)
    Identity.objects.create(
        customer=customer,
        kind=IdentityKind.PHONE,
        value="06 12 34 56 78",
        normalized="+33612345678",
    )
    Address.objects.create(
        customer=customer,
        line1="12 rue de l'Église",
        postal_code="27000",
        city="Évreux",
    )
    case = CaseFactory.create(customer=customer, subject=f"Colis perdu — {NAME}")
    InteractionFactory.create(
        customer=customer, case=case, body_text="Où est mon colis ? Hélène"
    )
    OrderFactory.create(customer=customer)
    return customer
