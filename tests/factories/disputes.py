"""Factories of the disputes app."""

from __future__ import annotations

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from amiable.cases.models import CaseKind
from amiable.disputes.models import Dispute, Mediator
from tests.factories import CaseFactory


class MediatorFactory(DjangoModelFactory[Mediator]):
    class Meta:
        model = Mediator
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Médiateur n° {n}")
    website = factory.Sequence(lambda n: f"https://mediateur-{n}.example.fr")
    postal_address = "12 rue de la Paix\n75002 Paris"
    fee_amount = Decimal("0")


class DisputeFactory(DjangoModelFactory[Dispute]):
    class Meta:
        model = Dispute

    case = factory.SubFactory(CaseFactory, kind=CaseKind.DISPUTE)
