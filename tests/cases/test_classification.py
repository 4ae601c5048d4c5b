"""Tags and custom fields of cases: the services (typed values, one audit event per
change, the version), the definitions (administrators only, audited), the inbox
filters, routing on tags, bulk tag actions and macros that tag and set a field."""

from __future__ import annotations

from typing import Any

import pytest

from amiable.accounts.models import Team, User
from amiable.audit.models import AuditEvent
from amiable.cases.models import Case, CaseStatus, CustomField, CustomFieldKind
from amiable.cases.selectors import CaseFilters, case_list
from amiable.cases.services import (
    BulkAction,
    BulkKind,
    BulkOutcomeKind,
    BulkTarget,
    case_bulk_apply,
    case_classification,
    case_classify,
    case_open,
    custom_field_save,
)
from amiable.cases.services.routing import ACTIVE_RULES
from amiable.core.errors import (
    DuplicateError,
    PermissionDeniedError,
    ValidationError,
    VersionConflictError,
)
from amiable.customers.models import Customer
from amiable.macros.services import macro_apply, macro_create
from tests.factories import CaseFactory, CustomerFactory, TeamFactory
from tests.factories.cases import CustomFieldFactory, RoutingRuleFactory


@pytest.fixture
def fields(db: None) -> dict[str, CustomField]:
    return {
        "order_total": CustomFieldFactory.create(
            key="order_total", kind=CustomFieldKind.NUMBER
        ),
        "delivered_on": CustomFieldFactory.create(
            key="delivered_on", kind=CustomFieldKind.DATE
        ),
        "carrier": CustomFieldFactory.create(
            key="carrier", kind=CustomFieldKind.CHOICE, choices=["Colissimo", "DHL"]
        ),
        "note": CustomFieldFactory.create(key="note", kind=CustomFieldKind.TEXT),
    }


def classify_audits(case: Case) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            object_type="cases.case", object_id=str(case.pk), action="case.classify"
        )
    )


@pytest.mark.parametrize(
    ("key", "typed", "stored"),
    [
        ("order_total", "1 234,50", "1234.5"),
        ("order_total", "12", "12"),
        ("delivered_on", "2026-12-07", "2026-12-07"),
        ("carrier", "DHL", "DHL"),
        ("note", "  à rappeler\nvite ", "à rappeler vite"),
    ],
)
def test_values_are_stored_in_their_canonical_form(
    agent: User,
    team: Team,
    fields: dict[str, CustomField],
    key: str,
    typed: str,
    stored: str,
) -> None:
    case = CaseFactory.create(team=team)

    case_classify(actor=agent, case=case, expected_version=None, fields={key: typed})

    assert case_classification(case)["custom_fields"] == {key: stored}


@pytest.mark.parametrize(
    ("key", "typed"),
    [
        ("order_total", "douze"),
        ("order_total", "1e20"),
        ("delivered_on", "07/12/2026"),
        ("carrier", "UPS"),
        ("unknown", "x"),
    ],
)
def test_a_wrong_value_is_refused_naming_the_field(
    agent: User, team: Team, fields: dict[str, CustomField], key: str, typed: str
) -> None:
    case = CaseFactory.create(team=team)

    with pytest.raises(ValidationError) as caught:
        case_classify(
            actor=agent, case=case, expected_version=None, fields={key: typed}
        )

    assert list(caught.value.fields) == [f"custom_fields.{key}"]
    assert case_classification(case) == {"tags": [], "custom_fields": {}}


def test_an_inactive_field_takes_no_value(
    agent: User, team: Team, fields: dict[str, CustomField]
) -> None:
    CustomField.objects.filter(key="note").update(is_active=False)
    case = CaseFactory.create(team=team)

    with pytest.raises(ValidationError):
        case_classify(
            actor=agent, case=case, expected_version=None, fields={"note": "x"}
        )


def test_classify_sets_tags_and_values_with_one_audit_event_and_a_new_version(
    agent: User, team: Team, fields: dict[str, CustomField]
) -> None:
    case = CaseFactory.create(team=team)
    seen = case.version

    changed = case_classify(
        actor=agent,
        case=case,
        expected_version=seen,
        tags=["vip", " retard ", "vip"],
        fields={"carrier": "DHL"},
    )

    assert changed.version == seen + 1
    assert case_classification(changed) == {
        "tags": ["retard", "vip"],
        "custom_fields": {"carrier": "DHL"},
    }
    [event] = classify_audits(case)
    assert event.actor == agent
    assert event.after == {
        "tags": ["retard", "vip"],
        "custom_fields": {"carrier": "DHL"},
    }


def test_clearing_and_removing_and_nothing_to_change(
    agent: User, team: Team, fields: dict[str, CustomField]
) -> None:
    case = CaseFactory.create(team=team)
    case = case_classify(
        actor=agent,
        case=case,
        expected_version=None,
        tags=["vip", "retard"],
        fields={"note": "x"},
    )

    case = case_classify(
        actor=agent,
        case=case,
        expected_version=None,
        remove_tags=["retard"],
        fields={"note": ""},
    )
    same = case_classify(
        actor=agent, case=case, expected_version=None, add_tags=["vip"]
    )

    assert case_classification(case) == {"tags": ["vip"], "custom_fields": {}}
    assert same.version == case.version
    assert len(classify_audits(case)) == 2


def test_a_stale_version_changes_nothing(
    agent: User, team: Team, fields: dict[str, CustomField]
) -> None:
    case = CaseFactory.create(team=team)

    with pytest.raises(VersionConflictError):
        case_classify(
            actor=agent, case=case, expected_version=case.version + 1, tags=["vip"]
        )

    assert case_classification(case)["tags"] == []


def test_too_long_a_tag_is_refused(agent: User, team: Team) -> None:
    case = CaseFactory.create(team=team)

    with pytest.raises(ValidationError) as caught:
        case_classify(actor=agent, case=case, expected_version=None, tags=["x" * 61])

    assert list(caught.value.fields) == ["tags"]


def test_administrators_define_fields_audited(admin_user: User) -> None:
    field = custom_field_save(
        actor=admin_user,
        key="carrier",
        label_fr="Transporteur",
        label_en="Carrier",
        kind=CustomFieldKind.CHOICE,
        choices=["DHL", " Colissimo ", "DHL"],
    )
    custom_field_save(
        actor=admin_user,
        field=field,
        key="carrier",
        label_fr="Transporteur",
        label_en="Carrier",
        kind=CustomFieldKind.CHOICE,
        choices=["DHL"],
        is_active=False,
    )

    field.refresh_from_db()
    assert (field.choices, field.is_active) == (["DHL"], False)
    assert list(
        AuditEvent.objects.filter(object_type="cases.customfield")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["custom_field.create", "custom_field.update"]


@pytest.mark.parametrize(
    ("changes", "error_field"),
    [
        ({"key": "Not a key"}, "key"),
        ({"kind": "colour"}, "kind"),
        ({"label_en": " "}, "label_en"),
        ({"kind": CustomFieldKind.CHOICE}, "choices"),
    ],
)
def test_a_wrong_definition_is_refused(
    admin_user: User, changes: dict[str, Any], error_field: str
) -> None:
    values: dict[str, Any] = {
        "key": "carrier",
        "label_fr": "Transporteur",
        "label_en": "Carrier",
        "kind": CustomFieldKind.TEXT,
    } | changes

    with pytest.raises(ValidationError) as caught:
        custom_field_save(actor=admin_user, **values)

    assert error_field in caught.value.fields
    assert not CustomField.objects.exists()


def test_a_taken_key_and_a_changed_type_are_refused(admin_user: User) -> None:
    field = custom_field_save(
        actor=admin_user, key="note", label_fr="Note", label_en="Note", kind="text"
    )

    with pytest.raises(DuplicateError):
        custom_field_save(
            actor=admin_user, key="note", label_fr="N", label_en="N", kind="text"
        )
    with pytest.raises(ValidationError):
        custom_field_save(
            actor=admin_user,
            field=field,
            key="note",
            label_fr="N",
            label_en="N",
            kind="number",
        )


def test_only_administrators_define_fields(supervisor: User) -> None:
    with pytest.raises(PermissionDeniedError):
        custom_field_save(
            actor=supervisor, key="note", label_fr="N", label_en="N", kind="text"
        )

    assert not CustomField.objects.exists()


def test_filters_by_tag_and_by_field_value(
    agent: User, team: Team, fields: dict[str, CustomField]
) -> None:
    tagged, valued, other = (CaseFactory.create(team=team) for _n in range(3))
    case_classify(actor=agent, case=tagged, expected_version=None, tags=["vip"])
    case_classify(
        actor=agent, case=valued, expected_version=None, fields={"order_total": "12,5"}
    )
    case_classify(actor=agent, case=other, expected_version=None, tags=["autre"])

    by_tag = case_list(actor=agent, filters=CaseFilters(tag="vip"))
    by_value = case_list(
        actor=agent,
        filters=CaseFilters(field_key="order_total", field_value="12.5"),
    )

    assert list(by_tag) == [tagged]
    assert list(by_value) == [valued]


def test_the_tag_filter_reads_the_tag_index(agent: User, team: Team) -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the plan's wording is SQLite's")
    queryset = case_list(actor=agent, filters=CaseFilters(tag="vip"))

    plan = queryset.explain()

    assert "case_tag_tag_idx" in plan


def test_a_routing_rule_matches_the_new_case_s_tag_or_its_customer_s(
    agent: User, customer: Customer
) -> None:
    vip_team = TeamFactory.create(name="VIP")
    RoutingRuleFactory.create(name="VIP", tag="vip", team=vip_team, position=1)
    ACTIVE_RULES.forget()
    tagged_customer = CustomerFactory.create()
    tagged_customer.tags.create(name="vip")

    by_case = case_open(actor=agent, customer=customer, subject="A", tags=["vip"])
    by_customer = case_open(actor=agent, customer=tagged_customer, subject="B")
    untagged = case_open(actor=agent, customer=customer, subject="C")

    assert by_case.team == vip_team
    assert by_customer.team == vip_team
    assert untagged.team is None
    assert case_classification(by_case)["tags"] == ["vip"]


def test_bulk_tag_add_and_remove_one_audit_event_per_changed_case(
    agent: User, team: Team
) -> None:
    cases = [CaseFactory.create(team=team) for _n in range(3)]
    case_classify(actor=agent, case=cases[0], expected_version=None, tags=["vip"])
    cases[0].refresh_from_db()
    targets = [BulkTarget(case_id=case.pk, version=case.version) for case in cases]

    added = case_bulk_apply(
        actor=agent,
        targets=targets,
        action=BulkAction(kind=BulkKind.TAG_ADD, value="vip"),
    )

    assert [item.outcome for item in added.outcomes] == [
        BulkOutcomeKind.UNCHANGED,
        BulkOutcomeKind.CHANGED,
        BulkOutcomeKind.CHANGED,
    ]
    assert [len(classify_audits(case)) for case in cases] == [1, 1, 1]
    removed = case_bulk_apply(
        actor=agent,
        targets=[BulkTarget(case_id=case.pk) for case in cases],
        action=BulkAction(kind=BulkKind.TAG_REMOVE, value="vip"),
    )
    assert removed.count(BulkOutcomeKind.CHANGED) == 3
    assert [case_classification(case)["tags"] for case in cases] == [[], [], []]


def test_bulk_tag_without_a_name_is_refused_before_any_case(
    agent: User, team: Team
) -> None:
    case = CaseFactory.create(team=team)

    with pytest.raises(ValidationError):
        case_bulk_apply(
            actor=agent,
            targets=[BulkTarget(case_id=case.pk)],
            action=BulkAction(kind=BulkKind.TAG_ADD, value=" "),
        )


def test_a_macro_adds_tags_and_sets_a_field(
    supervisor: User, agent: User, team: Team, fields: dict[str, CustomField]
) -> None:
    macro = macro_create(
        actor=supervisor,
        team=team,
        name="Retard DHL",
        body_fr="Bonjour",
        add_tags="retard, transporteur",
        set_field_key="carrier",
        set_field_value="DHL",
    )
    case = CaseFactory.create(team=team, status=CaseStatus.OPEN)

    applied = macro_apply(
        actor=agent, case=case, macro=macro, expected_version=case.version
    )

    assert applied.is_case_changed
    assert case_classification(case) == {
        "tags": ["retard", "transporteur"],
        "custom_fields": {"carrier": "DHL"},
    }


@pytest.mark.parametrize(
    ("values", "error_field"),
    [
        ({"set_field_key": "nope", "set_field_value": "x"}, "set_field_key"),
        ({"set_field_key": "carrier", "set_field_value": "UPS"}, "set_field_value"),
        ({"add_tags": "x" * 61}, "add_tags"),
    ],
)
def test_a_macro_with_a_wrong_field_or_tag_is_refused(
    supervisor: User,
    team: Team,
    fields: dict[str, CustomField],
    values: dict[str, Any],
    error_field: str,
) -> None:
    with pytest.raises(ValidationError) as caught:
        macro_create(actor=supervisor, team=team, name="M", body_fr="Bonjour", **values)

    assert error_field in caught.value.fields
