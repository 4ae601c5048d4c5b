"""Customer services: identities, find-or-create, consents, facts, addresses, audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from amiable.accounts.models import User
from amiable.audit.models import AuditEvent
from amiable.core.errors import ErrorCode, ValidationError
from amiable.customers.errors import CustomerMergedError, IdentityTakenError
from amiable.customers.identities import (
    normalize_email,
    normalize_identity,
    normalize_phone,
    normalize_social,
)
from amiable.customers.models import (
    Address,
    Consent,
    Customer,
    CustomerStatus,
    Identity,
    IdentityKind,
    PersonalFact,
)
from amiable.customers.selectors import consent_current
from amiable.customers.services import (
    IdentityIn,
    address_add,
    consent_record,
    customer_create,
    customer_find_or_create_by_identity,
    customer_merge,
    customer_update,
    identity_add,
    identity_remove,
    personal_fact_add,
)
from tests.factories import CustomerFactory


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Jean.Dupont@Exemple.FR", "jean.dupont@exemple.fr"),
        ("  MARIE@exemple.com  ", "marie@exemple.com"),
        ("o'brien+sav@Example.co.uk", "o'brien+sav@example.co.uk"),
    ],
)
def test_emails_are_lower_cased_and_trimmed(raw: str, expected: str) -> None:
    assert normalize_email(raw) == expected


@pytest.mark.parametrize("raw", ["jean.dupont", "jean@", "@exemple.fr", "a b@c.fr", ""])
def test_invalid_emails_are_refused_with_the_value_field(raw: str) -> None:
    with pytest.raises(ValidationError) as caught:
        normalize_email(raw)
    assert caught.value.code == ErrorCode.VALIDATION
    assert list(caught.value.fields) == ["value"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("06.12.34.56.78", "+33612345678"),
        ("0612345678", "+33612345678"),
        ("+33 (0)6 12 34 56 78", "+33612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("0033 6 12 34 56 78", "+33612345678"),
        ("01 42 68 53 00", "+33142685300"),
        ("+44 20 7946 0958", "+442079460958"),
        ("+1 (415) 555-2671", "+14155552671"),
        ("+49 30 901820", "+4930901820"),
    ],
)
def test_phones_become_e164_reading_national_numbers_as_french(
    raw: str, expected: str
) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12", "0612", "abc", "", "+33 6 12"])
def test_invalid_phones_are_refused_with_the_value_field(raw: str) -> None:
    with pytest.raises(ValidationError) as caught:
        normalize_phone(raw)
    assert list(caught.value.fields) == ["value"]
    assert caught.value.fields["value"]


@pytest.mark.parametrize(
    ("raw", "platform", "expected"),
    [
        ("@Marie_Dupont", "Instagram", "instagram:marie_dupont"),
        ("marie.dupont", "", "marie.dupont"),
        ("@Élodie-M", "x", "x:élodie-m"),
    ],
)
def test_social_handles_are_case_insensitive_and_prefixed(
    raw: str, platform: str, expected: str
) -> None:
    assert normalize_social(raw, platform) == expected


@pytest.mark.parametrize("raw", ["@", "marie dupont", "<script>", "a" * 81])
def test_invalid_social_handles_are_refused(raw: str) -> None:
    with pytest.raises(ValidationError) as caught:
        normalize_social(raw)
    assert list(caught.value.fields) == ["value"]


def test_unknown_identity_kind_is_refused_on_the_kind_field() -> None:
    with pytest.raises(ValidationError) as caught:
        normalize_identity("fax", "01 23 45 67 89")
    assert list(caught.value.fields) == ["kind"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    ["Élodie Lefèvre-Œuvray", "Zoë Ångström", "王小明", "Ñandú O'Connor"],
)
def test_customer_names_keep_accents_and_unicode(agent: User, name: str) -> None:
    customer = customer_create(actor=agent, name=f"  {name}  ")

    assert Customer.objects.get(pk=customer.pk).name == name


@pytest.mark.django_db
def test_customer_create_stores_normalised_identities_and_audits(agent: User) -> None:
    customer = customer_create(
        actor=agent,
        name="Jean Dupont",
        preferred_language="en",
        customer_since=dt.date(2020, 5, 1),
        tags=["vip", " vip ", "fidèle", ""],
        identities=[
            IdentityIn(kind=IdentityKind.EMAIL, value="Jean.Dupont@Exemple.FR"),
            IdentityIn(kind=IdentityKind.PHONE, value="06 12 34 56 78"),
        ],
    )

    identities = list(
        Identity.objects.filter(customer=customer).values_list(
            "kind", "value", "normalized", "is_primary"
        )
    )
    assert identities == [
        ("email", "Jean.Dupont@Exemple.FR", "jean.dupont@exemple.fr", True),
        ("phone", "06 12 34 56 78", "+33612345678", True),
    ]
    assert sorted(customer.tags.values_list("name", flat=True)) == ["fidèle", "vip"]
    created = AuditEvent.objects.get(action="customer.create")
    assert created.object_id == str(customer.pk)
    assert created.actor == agent
    assert created.before == {}
    assert created.after["name"] == "Jean Dupont"
    assert created.after["customer_since"] == "2020-05-01"
    assert AuditEvent.objects.filter(action="identity.add").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "   "}, "name"),
        ({"preferred_language": "de"}, "preferred_language"),
        ({"kind": "robot"}, "kind"),
    ],
)
def test_customer_create_validations(
    agent: User, changes: dict[str, str], field: str
) -> None:
    arguments: dict[str, Any] = {"name": "Jean Dupont", **changes}
    with pytest.raises(ValidationError) as caught:
        customer_create(actor=agent, **arguments)
    assert list(caught.value.fields) == [field]
    assert Customer.objects.count() == 0


@pytest.mark.django_db
def test_customer_create_with_a_taken_identity_writes_nothing(agent: User) -> None:
    owner = customer_create(
        actor=agent,
        name="Owner",
        identities=[IdentityIn(kind=IdentityKind.EMAIL, value="a@exemple.fr")],
    )

    with pytest.raises(IdentityTakenError):
        customer_create(
            actor=agent,
            name="Thief",
            identities=[IdentityIn(kind=IdentityKind.EMAIL, value="A@Exemple.fr")],
        )

    assert list(Customer.objects.values_list("pk", flat=True)) == [owner.pk]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "first", "second"),
    [
        (IdentityKind.EMAIL, "lea@exemple.fr", " LEA@EXEMPLE.FR "),
        (IdentityKind.PHONE, "06 12 34 56 78", "+33 (0)6 12 34 56 78"),
        (IdentityKind.SOCIAL, "@Lea", "lea"),
    ],
)
def test_an_identity_belongs_to_one_customer_only(
    agent: User, kind: str, first: str, second: str
) -> None:
    owner = CustomerFactory.create()
    other = CustomerFactory.create()
    identity_add(actor=agent, customer=owner, kind=kind, value=first)

    with pytest.raises(IdentityTakenError) as caught:
        identity_add(actor=agent, customer=other, kind=kind, value=second)

    assert caught.value.code == ErrorCode.DUPLICATE
    assert caught.value.status == 409
    assert caught.value.extra == {"customer_id": owner.pk, "kind": kind}
    assert list(caught.value.fields) == ["value"]
    assert not Identity.objects.filter(customer=other).exists()


@pytest.mark.django_db
def test_adding_an_identity_twice_to_its_owner_returns_it(
    agent: User, customer: Customer
) -> None:
    first = identity_add(
        actor=agent, customer=customer, kind=IdentityKind.EMAIL, value="x@exemple.fr"
    )
    again = identity_add(
        actor=agent, customer=customer, kind=IdentityKind.EMAIL, value="X@exemple.fr"
    )

    assert again.pk == first.pk
    assert Identity.objects.filter(customer=customer).count() == 1


@pytest.mark.django_db
def test_same_value_of_different_kinds_do_not_clash(agent: User) -> None:
    first = CustomerFactory.create()
    second = CustomerFactory.create()
    identity_add(actor=agent, customer=first, kind=IdentityKind.SOCIAL, value="lea")
    identity_add(
        actor=agent,
        customer=second,
        kind=IdentityKind.SOCIAL,
        value="lea",
        platform="x",
    )

    assert sorted(Identity.objects.values_list("normalized", flat=True)) == [
        "lea",
        "x:lea",
    ]


@pytest.mark.django_db
def test_a_new_primary_identity_demotes_the_previous_one(
    agent: User, customer: Customer
) -> None:
    first = identity_add(
        actor=agent, customer=customer, kind=IdentityKind.EMAIL, value="a@exemple.fr"
    )
    second = identity_add(
        actor=agent, customer=customer, kind=IdentityKind.EMAIL, value="b@exemple.fr"
    )
    third = identity_add(
        actor=agent,
        customer=customer,
        kind=IdentityKind.EMAIL,
        value="c@exemple.fr",
        is_primary=True,
    )

    primaries = dict(Identity.objects.values_list("pk", "is_primary"))
    assert primaries == {first.pk: False, second.pk: False, third.pk: True}


@pytest.mark.django_db
def test_identity_remove_deletes_and_audits(agent: User, customer: Customer) -> None:
    identity = identity_add(
        actor=agent, customer=customer, kind=IdentityKind.EMAIL, value="a@exemple.fr"
    )

    identity_remove(actor=agent, identity=identity)

    assert not Identity.objects.exists()
    event = AuditEvent.objects.get(action="identity.remove")
    assert event.before == {
        "customer": customer.pk,
        "kind": "email",
        "normalized": "a@exemple.fr",
    }


@pytest.mark.django_db
def test_find_or_create_finds_the_owner_by_normalised_value(
    agent: User, customer: Customer
) -> None:
    identity_add(
        actor=agent, customer=customer, kind=IdentityKind.PHONE, value="0612345678"
    )

    found = customer_find_or_create_by_identity(
        actor=None, kind=IdentityKind.PHONE, value="+33 6 12 34 56 78", name="Autre"
    )

    assert found.created is False
    assert found.customer.pk == customer.pk
    assert Customer.objects.count() == 1


@pytest.mark.django_db
def test_find_or_create_creates_a_customer_with_the_identity() -> None:
    found = customer_find_or_create_by_identity(
        actor=None,
        kind=IdentityKind.EMAIL,
        value="Nouveau.Client@Exemple.fr",
        name="",
        preferred_language="es",
    )

    assert found.created is True
    customer = Customer.objects.get()
    assert found.customer.pk == customer.pk
    assert customer.name == "Nouveau.Client@Exemple.fr"
    assert customer.preferred_language == "fr"
    assert list(customer.identities.values_list("normalized", flat=True)) == [
        "nouveau.client@exemple.fr"
    ]
    assert AuditEvent.objects.get(action="customer.create").actor_label == "system"


@pytest.mark.django_db
def test_find_or_create_follows_a_merge_to_the_survivor(supervisor: User) -> None:
    source = CustomerFactory.create()
    target = CustomerFactory.create()
    identity_add(
        actor=supervisor, customer=source, kind=IdentityKind.EMAIL, value="s@ex.fr"
    )
    customer_merge(actor=supervisor, source=source, target=target)

    found = customer_find_or_create_by_identity(
        actor=None, kind=IdentityKind.EMAIL, value="S@ex.fr"
    )

    assert (found.customer.pk, found.created) == (target.pk, False)


@pytest.mark.django_db
def test_find_or_create_refuses_an_invalid_value() -> None:
    with pytest.raises(ValidationError) as caught:
        customer_find_or_create_by_identity(
            actor=None, kind=IdentityKind.PHONE, value="12"
        )
    assert list(caught.value.fields) == ["value"]
    assert Customer.objects.count() == 0


@pytest.mark.django_db
def test_customer_update_audits_only_changed_fields(
    agent: User, customer: Customer
) -> None:
    customer_update(
        actor=agent,
        customer=customer,
        name="  Élodie Martin-Durand ",
        preferred_language="fr",
        notes="Préfère le téléphone",
        tags=["vip"],
    )

    customer.refresh_from_db()
    assert customer.name == "Élodie Martin-Durand"
    assert list(customer.tags.values_list("name", flat=True)) == ["vip"]
    event = AuditEvent.objects.get(action="customer.update")
    assert event.before == {"name": "Élodie Martin", "notes": ""}
    assert event.after == {
        "name": "Élodie Martin-Durand",
        "notes": "Préfère le téléphone",
    }
    assert event.actor == agent


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"status": "merged"}, ["status"]),
        ({"merged_into": 3, "created_at": None}, ["created_at", "merged_into"]),
        ({"name": ""}, ["name"]),
        ({"preferred_language": "xx"}, ["preferred_language"]),
        ({"kind": "robot"}, ["kind"]),
    ],
)
def test_customer_update_refuses_bad_changes_and_writes_nothing(
    agent: User, customer: Customer, changes: dict[str, Any], fields: list[str]
) -> None:
    with pytest.raises(ValidationError) as caught:
        customer_update(actor=agent, customer=customer, **changes)

    assert sorted(caught.value.fields) == fields
    assert Customer.objects.get(pk=customer.pk).name == "Élodie Martin"
    assert not AuditEvent.objects.filter(action="customer.update").exists()


@pytest.mark.django_db
def test_merged_customers_cannot_be_changed(supervisor: User) -> None:
    source = CustomerFactory.create()
    customer_merge(actor=supervisor, source=source, target=CustomerFactory.create())
    source.refresh_from_db()

    with pytest.raises(CustomerMergedError):
        customer_update(actor=supervisor, customer=source, name="Nouveau")
    with pytest.raises(CustomerMergedError):
        identity_add(
            actor=supervisor, customer=source, kind="email", value="n@exemple.fr"
        )
    assert source.status == CustomerStatus.MERGED


@pytest.mark.django_db
def test_consents_keep_history_and_the_latest_decision_wins(
    agent: User, customer: Customer
) -> None:
    base = dt.datetime(2025, 1, 10, 9, 0, tzinfo=dt.UTC)
    consent_record(
        actor=agent,
        customer=customer,
        purpose="marketing_email",
        is_granted=True,
        source="web form",
        recorded_at=base,
    )
    withdrawn = consent_record(
        actor=agent,
        customer=customer,
        purpose="marketing_email",
        is_granted=False,
        source=" unsubscribe link ",
        recorded_at=base + dt.timedelta(days=30),
    )
    surveys = consent_record(
        actor=None,
        customer=customer,
        purpose="surveys",
        is_granted=True,
        source="phone",
        recorded_at=base,
    )
    # An older decision recorded late (e.g. an import) does not override a newer one.
    consent_record(
        actor=agent,
        customer=customer,
        purpose="marketing_email",
        is_granted=True,
        source="import",
        recorded_at=base + dt.timedelta(days=1),
    )

    current = {
        consent.purpose: consent.pk for consent in consent_current(customer=customer)
    }
    assert current == {"marketing_email": withdrawn.pk, "surveys": surveys.pk}
    assert Consent.objects.filter(customer=customer).count() == 4
    assert withdrawn.source == "unsubscribe link"
    assert withdrawn.recorded_by == agent
    event = AuditEvent.objects.filter(action="consent.record").order_by("id")[1]
    assert event.after == {
        "customer": customer.pk,
        "purpose": "marketing_email",
        "is_granted": False,
        "source": "unsubscribe link",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("purpose", "source", "field"),
    [("spam", "web", "purpose"), ("surveys", "  ", "source")],
)
def test_consent_validations(
    agent: User, customer: Customer, purpose: str, source: str, field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        consent_record(
            actor=agent,
            customer=customer,
            purpose=purpose,
            is_granted=True,
            source=source,
        )
    assert list(caught.value.fields) == [field]
    assert not Consent.objects.exists()


@pytest.mark.django_db
def test_personal_fact_requires_a_purpose(agent: User, customer: Customer) -> None:
    with pytest.raises(ValidationError) as caught:
        personal_fact_add(
            actor=agent,
            customer=customer,
            category="birthday",
            value="12 mars",
            purpose="  ",
            source="phone call",
        )
    assert list(caught.value.fields) == ["purpose"]
    assert not PersonalFact.objects.exists()


@pytest.mark.django_db
def test_personal_fact_reports_every_missing_field(
    agent: User, customer: Customer
) -> None:
    with pytest.raises(ValidationError) as caught:
        personal_fact_add(
            actor=agent,
            customer=customer,
            category="zodiac",
            value="",
            purpose="",
            source="",
        )
    assert sorted(caught.value.fields) == ["category", "purpose", "source", "value"]


@pytest.mark.django_db
def test_personal_fact_is_stored_with_its_purpose(
    agent: User, customer: Customer
) -> None:
    fact = personal_fact_add(
        actor=agent,
        customer=customer,
        category="size",
        value=" 38 ",
        purpose="Conseiller la bonne taille",
        source="chat",
        noted_on=dt.date(2025, 6, 1),
    )

    stored = PersonalFact.objects.get(pk=fact.pk)
    assert (stored.value, stored.purpose, stored.noted_on) == (
        "38",
        "Conseiller la bonne taille",
        dt.date(2025, 6, 1),
    )
    assert AuditEvent.objects.get(action="fact.add").after == {
        "customer": customer.pk,
        "category": "size",
    }


@pytest.mark.django_db
def test_first_address_is_default_and_a_new_default_replaces_it(
    agent: User, customer: Customer
) -> None:
    first = address_add(
        actor=agent,
        customer=customer,
        line1="1 rue A",
        postal_code="75001",
        city="Paris",
    )
    second = address_add(
        actor=agent,
        customer=customer,
        line1="2 rue B",
        postal_code="69001",
        city="Lyon",
    )
    third = address_add(
        actor=agent,
        customer=customer,
        line1="3 rue C",
        postal_code="13001",
        city="Marseille",
        country="fr",
        is_default=True,
    )

    defaults = dict(Address.objects.values_list("pk", "is_default"))
    assert defaults == {first.pk: False, second.pk: False, third.pk: True}
    assert Address.objects.get(pk=third.pk).country == "FR"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"line1": " ", "city": ""}, ["city", "line1"]),
        ({"postal_code": ""}, ["postal_code"]),
        ({"country": "FRA"}, ["country"]),
        ({"country": "F1"}, ["country"]),
    ],
)
def test_address_validations(
    agent: User, customer: Customer, overrides: dict[str, str], fields: list[str]
) -> None:
    arguments: dict[str, Any] = {
        "line1": "1 rue A",
        "postal_code": "75001",
        "city": "Paris",
    }
    with pytest.raises(ValidationError) as caught:
        address_add(actor=agent, customer=customer, **{**arguments, **overrides})
    assert sorted(caught.value.fields) == fields
    assert not Address.objects.exists()
