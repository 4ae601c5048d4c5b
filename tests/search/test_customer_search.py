"""Full-text search of customers through the customer list selector."""

from __future__ import annotations

import pytest

from amiable.accounts.models import User
from amiable.customers.models import Customer, IdentityKind
from amiable.customers.selectors import CustomerFilters, customer_list
from amiable.customers.services import customer_update, identity_add, identity_remove
from tests.factories import CustomerFactory, IdentityFactory


def _found(actor: User, text: str) -> list[str]:
    return sorted(
        customer.name
        for customer in customer_list(actor=actor, filters=CustomerFilters(text=text))
    )


@pytest.fixture
def francoise(db: None) -> Customer:
    customer = CustomerFactory.create(name="Françoise Gérard", company_name="Ãtelier")
    IdentityFactory.create(
        customer=customer, value="F.Gerard@Exemple.fr", normalized="f.gerard@exemple.fr"
    )
    IdentityFactory.create(
        customer=customer,
        kind=IdentityKind.PHONE,
        value="06 12 34 56 78",
        normalized="+33612345678",
    )
    return customer


@pytest.fixture
def others(db: None) -> list[Customer]:
    return [
        CustomerFactory.create(name="Marc Petit"),
        CustomerFactory.create(name="Gérald Martin"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("francoise", ["Françoise Gérard"]),
        ("GERARD", ["Françoise Gérard"]),
        ("ger*", ["Françoise Gérard", "Gérald Martin"]),
        ("atelier", ["Françoise Gérard"]),
        ("f.gerard@exemple.fr", ["Françoise Gérard"]),
        ("+33612345678", ["Françoise Gérard"]),
        ("petit marc", ["Marc Petit"]),
        ("petit gerard", []),
        ('"', []),
        ("NEAR(", []),
        ("", ["Françoise Gérard", "Gérald Martin", "Marc Petit"]),
    ],
)
def test_customer_search_covers_names_and_identities(
    searcher: User,
    francoise: Customer,
    others: list[Customer],
    text: str,
    expected: list[str],
) -> None:
    assert _found(searcher, text) == expected


def test_identity_added_and_removed_is_reflected(
    searcher: User, francoise: Customer
) -> None:
    identity = identity_add(
        actor=searcher,
        customer=francoise,
        kind=IdentityKind.EMAIL,
        value="Perso.Francoise@Mail.test",
    )
    found_after_add = _found(searcher, "perso.francoise@mail.test")
    identity_remove(actor=searcher, identity=identity)

    assert (found_after_add, _found(searcher, "perso")) == (
        ["Françoise Gérard"],
        [],
    )


def test_customer_rename_is_reflected(searcher: User, francoise: Customer) -> None:
    customer_update(actor=searcher, customer=francoise, name="Fanny Roux")

    assert (_found(searcher, "francoise"), _found(searcher, "fanny")) == (
        [],
        ["Fanny Roux"],
    )
