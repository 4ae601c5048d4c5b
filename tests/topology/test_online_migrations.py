"""Migrations that can run while the previous version still serves (the rules of
docs/DEPLOYMENT.md, checked on every migration of ours by
``tests/topology/online_migrations.py``).

The migrations below came before the rule (issue 21) and are known to break it; the
list may only shrink. A new migration that breaks a rule fails here: rewrite it
(``db_default``, ``AddIndexConcurrently`` in a non-atomic migration, expand then
contract over two releases), or, for a data migration that works in batches, add
it with the reason in review.
"""

from __future__ import annotations

import pytest
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import models
from django.db.migrations import operations as ops
from django.db.migrations.loader import MigrationLoader

from tests.topology.online_migrations import (
    online_migration_findings,
    operation_findings,
)

BEFORE_THE_RULE = {
    ("accounts", "0002_signin_throttle_two_factor"),
    ("cases", "0002_case_fulltext"),
    ("cases", "0003_case_inbox_activity_indexes"),
    ("cases", "0004_case_planner_statistics"),
    ("cases", "0005_root_causes_resolution_costs"),
    ("cases", "0006_sla_routing_escalation_taxonomy"),
    ("cases", "0007_indexes_for_queues_and_workload"),
    ("conversations", "0002_interaction_fulltext"),
    ("conversations", "0004_interaction_message_id"),
    ("customers", "0002_customer_fulltext"),
    ("customers", "0003_customer_tier"),
    ("demo", "0002_legacy_published_password"),
    ("feedback", "0002_customer_tier_and_case_delay"),
    ("feedback", "0003_surveys_by_sms"),
    ("gestures", "0003_secrets_encrypted_at_rest"),
    ("inbound", "0002_secrets_encrypted_at_rest"),
    ("inbound", "0003_inbound_email_sender_identity"),
    ("inbound", "0004_mailbox_signature"),
    ("sla", "0002_default_calendar"),
}


@pytest.fixture(scope="module")
def findings() -> set[tuple[str, str, str, str]]:
    return {(f.app, f.migration, f.rule, f.target) for f in online_migration_findings()}


def test_no_new_migration_locks_a_table_or_breaks_the_serving_version(
    findings: set[tuple[str, str, str, str]],
) -> None:
    new = sorted(f for f in findings if (f[0], f[1]) not in BEFORE_THE_RULE)

    assert new == []


def test_the_list_of_older_migrations_only_names_real_offenders(
    findings: set[tuple[str, str, str, str]],
) -> None:
    assert {(f[0], f[1]) for f in findings} >= BEFORE_THE_RULE


def test_the_events_relay_column_was_added_the_safe_way(
    findings: set[tuple[str, str, str, str]],
) -> None:
    assert not [f for f in findings if f[0] == "events"]


@pytest.mark.parametrize(
    ("operation", "rules"),
    [
        (ops.AddField("case", "note", models.TextField(null=True)), []),
        (ops.AddField("case", "note", models.TextField(db_default="")), []),
        (
            ops.AddField("case", "note", models.TextField(default="")),
            ["not-null-without-db-default"],
        ),
        (
            ops.AlterField("case", "subject", models.TextField()),
            ["type-change"],
        ),
        (
            ops.AlterField("case", "closed_at", models.DateTimeField()),
            ["set-not-null"],
        ),
        (
            ops.AddIndex("case", models.Index(fields=["subject"], name="s_idx")),
            ["index-not-concurrent"],
        ),
        (
            AddIndexConcurrently(
                "case", models.Index(fields=["subject"], name="s_idx")
            ),
            [],
        ),
        (ops.RemoveField("case", "subject"), ["breaks-old-code"]),
        (ops.RenameField("case", "subject", "title"), ["breaks-old-code"]),
        (ops.RunSQL("UPDATE cases_case SET subject = ''"), ["data-migration"]),
    ],
)
def test_each_rule_is_told_apart(operation: object, rules: list[str]) -> None:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    state = loader.project_state()

    found = operation_findings("cases", operation, state, created=set())

    assert [rule for rule, _target in found] == rules
