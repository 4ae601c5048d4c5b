"""Full-text search of interactions through the interaction list selector."""

from __future__ import annotations

import pytest

from amiable.accounts.models import User
from amiable.conversations.models import Interaction
from amiable.conversations.selectors import interaction_list
from amiable.customers.models import Customer
from tests.factories import CustomerFactory, InteractionFactory


def _found(actor: User, text: str) -> list[str]:
    return sorted(
        interaction.external_id
        for interaction in interaction_list(actor=actor, text=text)
    )


@pytest.fixture
def customer(db: None) -> Customer:
    return CustomerFactory.create(name="Paul Durand")


@pytest.fixture
def messages(customer: Customer) -> list[Interaction]:
    return [
        InteractionFactory.create(
            customer=customer,
            external_id="m1",
            subject="Réclamation livraison",
            body_text="Mon colis est arrivé abîmé, l'emballage était déchiré.",
        ),
        InteractionFactory.create(
            customer=customer,
            external_id="m2",
            subject="Merci",
            body_text="Très satisfait du remboursement rapide.",
        ),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("abime", ["m1"]),
        ("reclamation", ["m1"]),
        ("embal*", ["m1"]),
        ("colis abime", ["m1"]),
        ("colis remboursement", []),
        ("l'emballage", ["m1"]),
        ("rembours* rapide", ["m2"]),
        ("merci", ["m2"]),
        ("durand", []),
        ('" OR 1=1 --', []),
        ("", ["m1", "m2"]),
    ],
)
def test_interaction_search_matches_subject_and_body(
    searcher: User, messages: list[Interaction], text: str, expected: list[str]
) -> None:
    assert _found(searcher, text) == expected


def test_interaction_changes_and_deletes_are_reflected(
    searcher: User, messages: list[Interaction]
) -> None:
    Interaction.objects.filter(external_id="m1").update(body_text="Tout va bien")
    Interaction.objects.filter(external_id="m2").delete()

    assert (
        _found(searcher, "abime"),
        _found(searcher, "tout bien"),
        _found(searcher, "remboursement"),
    ) == ([], ["m1"], [])
