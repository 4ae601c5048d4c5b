"""Creating and editing customers from the staff pages: every write goes through
the customers services (audited), refused forms come back with their messages and
the agent's input, and each role gets what it may do."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from amiable.accounts.models import User
from amiable.audit.models import AuditEvent
from amiable.customers.models import (
    Address,
    Consent,
    ConsentPurpose,
    Customer,
    Identity,
    IdentityKind,
)
from tests.factories import CustomerFactory, IdentityFactory

ALL_STAFF = ["agent", "other_agent", "supervisor", "quality_manager", "admin_user"]


def _client(request: pytest.FixtureRequest, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        user: User = request.getfixturevalue(role)
        client.force_login(user)
    return client


def _create(client: Client, **fields: str) -> Any:
    data = {
        "name": "Odette Marchal",
        "kind": "person",
        "company_name": "",
        "preferred_language": "fr",
        "email": "",
        "phone": "",
        "line1": "",
        "line2": "",
        "postal_code": "",
        "city": "",
        "country": "FR",
        "notes": "",
        **fields,
    }
    return client.post(reverse("customers:create"), data)


@pytest.mark.parametrize(
    "phone",
    ["06 16 80 63 13", "0616806313", "+33 6 16 80 63 13", "0033616806313"],
)
def test_a_new_customer_gets_the_phone_in_e164_and_an_address(
    web_client: Client, agent: User, phone: str
) -> None:
    response = _create(
        web_client,
        phone=phone,
        email="Odette.Marchal@Exemple.fr",
        line1="3 rue des Lilas",
        postal_code="29000",
        city="Quimper",
    )

    customer = Customer.objects.get(name="Odette Marchal")
    assert response.status_code == 302
    assert response["Location"] == reverse("customers:detail", args=[customer.pk])
    assert sorted(customer.identities.values_list("kind", "normalized")) == [
        ("email", "odette.marchal@exemple.fr"),
        ("phone", "+33616806313"),
    ]
    assert list(customer.addresses.values_list("city", "is_default")) == [
        ("Quimper", True)
    ]
    assert sorted(
        AuditEvent.objects.filter(actor=agent).values_list("action", flat=True)
    ) == ["address.add", "customer.create", "identity.add", "identity.add"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"phone": "06 16"}, "phone", "Ce numéro de téléphone n’existe pas."),
        ({"phone": "06 AB"}, "phone", "Ce n’est pas un numéro de téléphone."),
        (
            {"phone": "+33 6 16 80 63 13 99"},
            "phone",
            "Ce numéro de téléphone n’existe pas.",
        ),
        ({"email": "odette@"}, "email", "Ce n’est pas une adresse e-mail valide."),
        ({"name": ""}, "name", "Ce champ est obligatoire."),
        ({"line1": "3 rue des Lilas"}, "city", "Obligatoire pour une adresse."),
    ],
)
def test_a_refused_creation_says_why_and_keeps_the_input(
    web_client: Client, fields: dict[str, str], field: str, message: str
) -> None:
    response = _create(web_client, company_name="Marchal & fils", **fields)

    form = response.context["form"]
    assert response.status_code == 422
    assert message in " ".join(form.errors[field])
    assert 'value="Marchal &amp; fils"' in response.content.decode()
    assert Customer.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_a_phone_of_another_customer_is_shown_on_the_phone_field(
    web_client: Client,
) -> None:
    owner = CustomerFactory.create(name="Déjà Là")
    IdentityFactory.create(
        customer=owner,
        kind=IdentityKind.PHONE,
        value="+33616806313",
        normalized="+33616806313",
    )

    response = _create(web_client, phone="06 16 80 63 13", email="neuve@exemple.fr")

    form = response.context["form"]
    assert response.status_code == 422
    assert form.errors["phone"] == [f"Déjà utilisé par le client n° {owner.pk}."]
    assert form.non_field_errors() == [
        "Cet identifiant (phone) appartient déjà à un autre client."
    ]
    assert list(Customer.objects.values_list("name", flat=True)) == ["Déjà Là"]
    assert not Identity.objects.filter(normalized="neuve@exemple.fr").exists()


def test_editing_changes_only_what_changed_and_audits_it(
    web_client: Client, agent: User
) -> None:
    customer = CustomerFactory.create(name="Jean Brun", preferred_language="fr")

    response = web_client.post(
        reverse("customers:edit", args=[customer.pk]),
        {
            "name": "Jean Brun",
            "kind": "company",
            "company_name": "Brun SARL",
            "preferred_language": "en",
            "notes": "",
        },
    )

    customer.refresh_from_db()
    event = AuditEvent.objects.get(action="customer.update")
    assert response.status_code == 302
    assert (customer.kind, customer.company_name, customer.preferred_language) == (
        "company",
        "Brun SARL",
        "en",
    )
    assert event.actor == agent
    assert event.before["preferred_language"] == "fr"
    assert event.after["preferred_language"] == "en"


def test_an_edit_without_a_name_is_refused_with_the_input_kept(
    web_client: Client,
) -> None:
    customer = CustomerFactory.create(name="Jean Brun")

    response = web_client.post(
        reverse("customers:edit", args=[customer.pk]),
        {"name": "", "kind": "person", "company_name": "Gardé", "notes": ""},
    )

    customer.refresh_from_db()
    assert response.status_code == 422
    assert response.context["form"].errors["name"] == ["Ce champ est obligatoire."]
    assert 'value="Gardé"' in response.content.decode()
    assert customer.name == "Jean Brun"


@pytest.mark.parametrize(
    ("kind", "value", "normalized"),
    [
        ("phone", "06 16 80 63 13", "+33616806313"),
        ("phone", "0033 6 16 80 63 13", "+33616806313"),
        ("email", "Jean.Brun@Exemple.FR", "jean.brun@exemple.fr"),
    ],
)
def test_an_identity_is_added_normalised(
    web_client: Client, kind: str, value: str, normalized: str
) -> None:
    customer = CustomerFactory.create()

    response = web_client.post(
        reverse("customers:identity_add", args=[customer.pk]),
        {"kind": kind, "value": value},
    )

    assert response.status_code == 302
    assert list(customer.identities.values_list("kind", "normalized")) == [
        (kind, normalized)
    ]


def test_an_invalid_phone_is_refused_on_the_customer_page(web_client: Client) -> None:
    customer = CustomerFactory.create()

    response = web_client.post(
        reverse("customers:identity_add", args=[customer.pk]),
        {"kind": "phone", "value": "douze"},
    )

    assert response.status_code == 422
    assert response.context["identity_form"].errors["value"] == [
        "Ce n’est pas un numéro de téléphone. "
        "Saisissez un numéro de téléphone, par ex. +33 6 12 34 56 78."
    ]
    assert 'value="douze"' in response.content.decode()
    assert customer.identities.count() == 0


def test_an_identity_is_removed(web_client: Client, agent: User) -> None:
    identity = IdentityFactory.create()

    response = web_client.post(
        reverse("customers:identity_remove", args=[identity.customer_id, identity.pk])
    )

    assert response.status_code == 302
    assert not Identity.objects.filter(pk=identity.pk).exists()
    assert AuditEvent.objects.get(action="identity.remove").actor == agent


def test_an_identity_of_another_customer_is_not_removed(web_client: Client) -> None:
    identity = IdentityFactory.create()
    other = CustomerFactory.create()

    web_client.post(reverse("customers:identity_remove", args=[other.pk, identity.pk]))

    assert Identity.objects.filter(pk=identity.pk).exists()


def test_an_address_is_added(web_client: Client) -> None:
    customer = CustomerFactory.create()

    response = web_client.post(
        reverse("customers:address_add", args=[customer.pk]),
        {
            "label": "Maison",
            "line1": "1 place du Marché",
            "line2": "",
            "postal_code": "35000",
            "city": "Rennes",
            "country": "fr",
        },
    )

    assert response.status_code == 302
    assert list(Address.objects.values_list("label", "city", "country")) == [
        ("Maison", "Rennes", "FR")
    ]


def test_an_address_with_a_bad_country_keeps_the_input(web_client: Client) -> None:
    customer = CustomerFactory.create()

    response = web_client.post(
        reverse("customers:address_add", args=[customer.pk]),
        {"line1": "1 place du Marché", "postal_code": "35000", "city": "Rennes"}
        | {"country": "F1"},
    )

    assert response.status_code == 422
    assert response.context["address_form"].errors["country"] == ["par ex. FR"]
    assert 'value="1 place du Marché"' in response.content.decode()
    assert Address.objects.count() == 0


def test_a_consent_decision_is_appended_to_the_history(
    web_client: Client, agent: User
) -> None:
    customer = CustomerFactory.create()
    data = {"purpose": ConsentPurpose.MARKETING_SMS, "source": "appel du 3 mars"}

    web_client.post(
        reverse("customers:consent_record", args=[customer.pk]),
        data | {"is_granted": "true"},
    )
    web_client.post(
        reverse("customers:consent_record", args=[customer.pk]),
        data | {"is_granted": "false"},
    )

    history = Consent.objects.filter(customer=customer).order_by("id")
    assert [(c.is_granted, c.recorded_by) for c in history] == [
        (True, agent),
        (False, agent),
    ]
    assert AuditEvent.objects.filter(action="consent.record").count() == 2


def test_a_consent_without_source_is_refused(web_client: Client) -> None:
    customer = CustomerFactory.create()

    response = web_client.post(
        reverse("customers:consent_record", args=[customer.pk]),
        {"purpose": ConsentPurpose.SURVEYS, "is_granted": "true", "source": ""},
    )

    assert response.status_code == 422
    assert response.context["consent_form"].errors["source"] == [
        "Ce champ est obligatoire."
    ]
    assert Consent.objects.count() == 0


@pytest.mark.parametrize("role", ALL_STAFF)
def test_every_staff_role_may_create_a_customer(
    request: pytest.FixtureRequest, role: str
) -> None:
    response = _create(_client(request, role), phone="0616806313")

    assert response.status_code == 302
    assert Customer.objects.get().name == "Odette Marchal"


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("customers:create", []),
        ("customers:edit", ["pk"]),
        ("customers:identity_add", ["pk"]),
        ("customers:address_add", ["pk"]),
        ("customers:consent_record", ["pk"]),
    ],
)
def test_anonymous_visitors_write_nothing(db: None, name: str, args: list[str]) -> None:
    customer = CustomerFactory.create(name="Intact")
    url = reverse(name, args=[customer.pk for _ in args])

    response = Client().post(
        url, {"name": "Pirate", "kind": "phone", "value": "0616806313"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))
    assert list(Customer.objects.values_list("name", flat=True)) == ["Intact"]
    assert Identity.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_a_merged_customer_cannot_be_edited(web_client: Client) -> None:
    target = CustomerFactory.create()
    merged = CustomerFactory.create(name="Ancien", status="merged", merged_into=target)

    response = web_client.post(
        reverse("customers:identity_add", args=[merged.pk]),
        {"kind": "email", "value": "ancien@exemple.fr"},
    )

    assert response.status_code == 422
    assert response.context["identity_form"].non_field_errors() == [
        "Ce client a été fusionné avec un autre."
    ]
    assert Identity.objects.count() == 0
