"""A customer's case tags and custom field values in their personal-data export;
their erasure scrubs the free-text values and keeps numbers, dates and choices."""

from __future__ import annotations

from amiable.accounts.models import Team, User
from amiable.cases.models import CaseFieldValue, CustomFieldKind
from amiable.cases.personal_data import cases_personal_erase, cases_personal_export
from amiable.cases.services import case_classify
from amiable.core.personal_data import DataSubject
from tests.factories import CaseFactory, CustomerFactory
from tests.factories.cases import CustomFieldFactory


def test_export_and_erasure_of_tags_and_values(agent: User, team: Team) -> None:
    CustomFieldFactory.create(key="note", kind=CustomFieldKind.TEXT)
    CustomFieldFactory.create(key="order_total", kind=CustomFieldKind.NUMBER)
    customer = CustomerFactory.create(name="Hélène Dupré")
    case = CaseFactory.create(team=team, customer=customer)
    case_classify(
        actor=agent,
        case=case,
        expected_version=None,
        tags=["vip"],
        fields={"note": "Rappeler Hélène Dupré le soir", "order_total": "42"},
    )
    subject = DataSubject(
        customer_ids=(customer.pk,),
        secrets=("Hélène Dupré",),
        words=("Hélène", "Dupré"),
    )

    tables = cases_personal_export(subject).tables
    outcome = cases_personal_erase(subject)

    assert [row["tag__name"] for row in tables["case_tags"]] == ["vip"]
    assert {row["field__key"] for row in tables["case_custom_fields"]} == {
        "note",
        "order_total",
    }
    assert outcome.changed["case_custom_fields"] == 1
    values = dict(
        CaseFieldValue.objects.filter(case=case).values_list("field__key", "value")
    )
    assert "Hélène" not in values["note"]
    assert "Dupré" not in values["note"]
    assert values["order_total"] == "42"
