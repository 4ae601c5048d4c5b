"""Migrations that rebuild tables on SQLite keep the full-text triggers."""

from __future__ import annotations

import pytest
from django.db import connection

from amiable.cases.models import Case
from amiable.cases.search import case_search_filter
from amiable.customers.services import customer_update
from tests.factories import CaseFactory, CustomerFactory

FULLTEXT_TRIGGERS = {
    "case_fts_customer_update",
    "case_fts_delete",
    "case_fts_insert",
    "case_fts_update",
    "customer_fts_delete",
    "customer_fts_insert",
    "customer_fts_update",
    "identity_fts_delete",
    "identity_fts_insert",
    "identity_fts_update",
    "interaction_fts_delete",
    "interaction_fts_insert",
    "interaction_fts_update",
}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite triggers")
@pytest.mark.django_db
def test_every_fulltext_trigger_survives_the_migrations() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        names = {row[0] for row in cursor.fetchall()}

    assert names >= FULLTEXT_TRIGGERS


@pytest.mark.django_db
def test_renaming_a_customer_still_reaches_the_search_of_their_cases() -> None:
    customer = CustomerFactory.create(name="Jean Dupont")
    case = CaseFactory.create(customer=customer, subject="Remboursement")

    customer_update(actor=None, customer=customer, name="Jeanne Dupré")

    assert list(case_search_filter(Case.objects.all(), "dupré")) == [case]
    assert list(case_search_filter(Case.objects.all(), "jean")) == []
