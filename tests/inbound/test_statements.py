"""How many SQL statements one e-mail costs, every statement counted (BEGIN,
COMMIT, savepoints, the task rows enqueued after the commit)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings

from amiable.cases.models import Case, CaseStatus
from amiable.inbound.models import InboundEmail, InboundStatus
from amiable.inbound.services import email_ingest

pytestmark = pytest.mark.django_db(transaction=True)
NEW_CASE_STATEMENTS = 15
THREADED_REPLY_STATEMENTS = 10


@pytest.fixture(autouse=True)
def _database_tasks(settings: Settings) -> None:
    """Tasks are rows, as in production: enqueuing one is a statement."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _warm(make_email: Callable[..., bytes]) -> None:
    """A first message reads what a running process keeps (our own addresses,
    routing rules, SLA policies)."""
    email_ingest(
        raw=make_email(sender="Warm <warm@exemple.fr>", message_id="<warm@x.fr>"),
        source="smtp",
    )


def _listing(captured: CaptureQueriesContext) -> str:
    return "\n".join(query["sql"][:160] for query in captured.captured_queries)


def test_an_email_that_opens_a_case_runs_at_most_15_statements(
    make_email: Callable[..., bytes],
) -> None:
    _warm(make_email)

    with CaptureQueriesContext(connection) as captured:
        result = email_ingest(
            raw=make_email(message_id="<new@exemple.fr>"), source="smtp"
        )

    assert result.status == InboundStatus.OPENED
    assert len(captured) <= NEW_CASE_STATEMENTS, _listing(captured)


def test_a_threaded_reply_runs_at_most_10_statements(
    make_email: Callable[..., bytes],
) -> None:
    _warm(make_email)
    email_ingest(raw=make_email(message_id="<first@exemple.fr>"), source="smtp")
    Case.objects.filter(customer__name="Élodie Martin").update(
        status=CaseStatus.WAITING_CUSTOMER
    )
    reply = make_email(
        subject="Re: Ma commande",
        message_id="<reply@exemple.fr>",
        in_reply_to="<first@exemple.fr>",
    )

    with CaptureQueriesContext(connection) as captured:
        result = email_ingest(raw=reply, source="smtp")

    assert result.status == InboundStatus.THREADED
    assert len(captured) <= THREADED_REPLY_STATEMENTS, _listing(captured)
    assert result.case_id is not None
    assert (
        Case.objects.get(pk=result.case_id).status == CaseStatus.OPEN
    )  # the reply put it back to work


def test_the_same_email_again_stores_nothing_and_costs_no_more_than_the_first(
    make_email: Callable[..., bytes],
) -> None:
    raw = make_email(message_id="<again@exemple.fr>")
    first = email_ingest(raw=raw, source="smtp")

    with CaptureQueriesContext(connection) as captured:
        second = email_ingest(raw=raw, source="smtp")

    # The ledger is claimed last (no read before every message): a duplicate is
    # processed, refused by the ledger's unique key, and rolled back whole.
    assert second.is_duplicate is True
    assert second.email_id == first.email_id
    assert Case.objects.count() == 1
    assert InboundEmail.objects.count() == 1
    assert "ROLLBACK" in _listing(captured)
    assert len(captured) <= NEW_CASE_STATEMENTS, _listing(captured)
