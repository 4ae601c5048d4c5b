"""Correcting and removing a customer's addresses from the customer page: through
the customers services, audited with before and after, input kept on error."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from amiable.audit.models import AuditEvent
from amiable.customers.models import Address, Customer
from amiable.customers.services import address_add
from tests.factories import CustomerFactory

FORM = {"label": "Maison", "line2": "", "country": "FR"}


def _two_addresses(customer: Customer) -> tuple[Address, Address]:
    first = address_add(
        actor=None, customer=customer, line1="1 rue Haute", postal_code="35000",
        city="Rennes",
    )  # fmt: skip
    second = address_add(
        actor=None, customer=customer, line1="2 quai Bas", postal_code="44000",
        city="Nantes",
    )  # fmt: skip
    return first, second


def test_the_customer_page_links_to_editing_each_address(web_client: Client) -> None:
    customer = CustomerFactory.create()
    first, second = _two_addresses(customer)

    page = web_client.get(reverse("customers:detail", args=[customer.pk]))

    body = page.content.decode()
    for address in (first, second):
        assert reverse("customers:address_edit", args=[customer.pk, address.pk]) in body
        assert (
            reverse("customers:address_remove", args=[customer.pk, address.pk]) in body
        )


def test_an_address_is_corrected_and_made_the_default(web_client: Client) -> None:
    customer = CustomerFactory.create()
    first, second = _two_addresses(customer)
    url = reverse("customers:address_edit", args=[customer.pk, second.pk])
    assert 'value="2 quai Bas"' in web_client.get(url).content.decode()

    response = web_client.post(
        url,
        FORM
        | {"line1": "4 quai Bas", "postal_code": "44000", "city": "Nantes"}
        | {"is_default": "on"},
    )

    assert response.status_code == 302
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.line1, second.is_default, first.is_default) == (
        "4 quai Bas",
        True,
        False,
    )
    event = AuditEvent.objects.get(action="address.update")
    assert event.before["line1"] == "2 quai Bas"
    assert event.after["line1"] == "4 quai Bas"


def test_a_refused_correction_keeps_the_input(web_client: Client) -> None:
    customer = CustomerFactory.create()
    first, _second = _two_addresses(customer)

    response = web_client.post(
        reverse("customers:address_edit", args=[customer.pk, first.pk]),
        FORM | {"line1": "9 allée Neuve", "postal_code": "", "city": "Rennes"},
    )

    assert response.status_code == 422
    assert 'value="9 allée Neuve"' in response.content.decode()
    first.refresh_from_db()
    assert first.line1 == "1 rue Haute"
    assert not AuditEvent.objects.filter(action="address.update").exists()


def test_removing_the_default_makes_the_next_one_the_default(
    web_client: Client,
) -> None:
    customer = CustomerFactory.create()
    first, second = _two_addresses(customer)

    response = web_client.post(
        reverse("customers:address_remove", args=[customer.pk, first.pk])
    )

    assert response.status_code == 302
    assert list(Address.objects.values_list("pk", "is_default")) == [(second.pk, True)]
    event = AuditEvent.objects.get(action="address.remove")
    assert event.before["city"] == "Rennes"


def test_another_customers_address_is_not_found(web_client: Client) -> None:
    customer, other = CustomerFactory.create(), CustomerFactory.create()
    first, _second = _two_addresses(other)

    edit = web_client.get(
        reverse("customers:address_edit", args=[customer.pk, first.pk])
    )
    remove = web_client.post(
        reverse("customers:address_remove", args=[customer.pk, first.pk])
    )

    assert (edit.status_code, remove.status_code) == (404, 404)
    assert Address.objects.filter(pk=first.pk).exists()


def test_a_merged_customers_address_is_not_changed(web_client: Client) -> None:
    target = CustomerFactory.create()
    merged = CustomerFactory.create(status="merged", merged_into=target)
    address = Address.objects.create(
        customer=merged, line1="1 rue", postal_code="75001", city="Paris"
    )

    web_client.post(reverse("customers:address_remove", args=[merged.pk, address.pk]))

    assert Address.objects.filter(pk=address.pk).exists()


@pytest.mark.parametrize("name", ["customers:address_edit", "customers:address_remove"])
def test_anonymous_visitors_change_no_address(db: None, name: str) -> None:
    customer = CustomerFactory.create()
    first, _second = _two_addresses(customer)

    response = Client().post(
        reverse(name, args=[customer.pk, first.pk]),
        FORM | {"line1": "Pirate", "postal_code": "1", "city": "X"},
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))
    assert Address.objects.get(pk=first.pk).line1 == "1 rue Haute"
