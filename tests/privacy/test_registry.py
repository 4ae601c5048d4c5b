"""Every app with a table that points at a customer contributes to the export and
the erasure: a new table without a section fails here."""

from __future__ import annotations

from django.apps import apps
from django.db import models

from amiable.core.personal_data import personal_data_sections
from amiable.customers.models import Customer

# The requests themselves: their archives go with the person (privacy's erasure).
SELF = {"privacy"}


def test_every_app_holding_customer_rows_has_a_section() -> None:
    holders = {
        model._meta.app_label
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.ForeignKey | models.OneToOneField)
        and field.related_model is Customer
    }
    sections = {section.name for section in personal_data_sections()}

    assert holders - SELF <= sections, holders - SELF - sections
    assert {"audit", "events", "notifications", "api", "platform"} <= sections


def test_the_customers_own_rows_go_last() -> None:
    names = [section.name for section in personal_data_sections()]

    assert names[-1] == "customers"
