"""Factories of the cases app's configuration: taxonomies, SLA policies, routing."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from amiable.cases.models import (
    AssignmentMode,
    CaseCategory,
    CustomField,
    CustomFieldKind,
    RootCause,
    RoutingRule,
    SlaPolicy,
    TeamRouting,
)
from tests.factories import TeamFactory


class RootCauseFactory(DjangoModelFactory[RootCause]):
    class Meta:
        model = RootCause
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"cause-{n}")
    name_fr = factory.LazyAttribute(lambda entry: f"Cause {entry.code}")
    name_en = factory.LazyAttribute(lambda entry: f"Cause {entry.code}")


class CaseCategoryFactory(DjangoModelFactory[CaseCategory]):
    class Meta:
        model = CaseCategory
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"category-{n}")
    name_fr = factory.LazyAttribute(lambda entry: f"Catégorie {entry.code}")
    name_en = factory.LazyAttribute(lambda entry: f"Category {entry.code}")


class SlaPolicyFactory(DjangoModelFactory[SlaPolicy]):
    class Meta:
        model = SlaPolicy

    name = factory.Sequence(lambda n: f"Politique {n}")
    first_response_minutes = 8 * 60
    resolution_minutes = 5 * 9 * 60


class TeamRoutingFactory(DjangoModelFactory[TeamRouting]):
    class Meta:
        model = TeamRouting

    team = factory.SubFactory(TeamFactory)
    assignment_mode = AssignmentMode.ROUND_ROBIN


class RoutingRuleFactory(DjangoModelFactory[RoutingRule]):
    class Meta:
        model = RoutingRule

    name = factory.Sequence(lambda n: f"Règle {n}")


class CustomFieldFactory(DjangoModelFactory[CustomField]):
    class Meta:
        model = CustomField
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"field_{n}")
    label_fr = factory.LazyAttribute(lambda field: f"Champ {field.key}")
    label_en = factory.LazyAttribute(lambda field: f"Field {field.key}")
    kind = CustomFieldKind.TEXT
