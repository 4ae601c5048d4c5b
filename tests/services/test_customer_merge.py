"""Merging two customers moves all their history, and the undo restores it exactly."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from amiable.accounts.models import User
from amiable.audit.models import AuditEvent
from amiable.cases.models import Case
from amiable.commerce.models import Order
from amiable.conversations.models import Interaction
from amiable.core.errors import ErrorCode
from amiable.customers.errors import MergeNotAllowedError
from amiable.customers.models import (
    Address,
    Consent,
    Customer,
    CustomerMerge,
    CustomerStatus,
    Identity,
    PersonalFact,
)
from amiable.customers.services import (
    address_add,
    consent_record,
    customer_create,
    customer_merge,
    customer_merge_undo,
    identity_add,
    personal_fact_add,
)
from tests.factories import (
    CaseFactory,
    CustomerFactory,
    InteractionFactory,
    OrderFactory,
)

OWNED_MODELS: list[type[Any]] = [
    Identity,
    Address,
    Consent,
    PersonalFact,
    Order,
    Interaction,
    Case,
]


def _ownership() -> dict[str, dict[int, tuple[Any, ...]]]:
    """Every row's owner and its primary/default flags, per model."""
    state: dict[str, dict[int, tuple[Any, ...]]] = {}
    for model in OWNED_MODELS:
        extra = (
            ["is_primary"]
            if model is Identity
            else ["is_default"]
            if model is Address
            else []
        )
        state[model.__name__] = {
            row[0]: tuple(row[1:])
            for row in model.objects.values_list("pk", "customer_id", *extra)
        }
    return state


@dataclass(frozen=True)
class Pair:
    source: Customer
    target: Customer


@pytest.fixture
def pair(supervisor: User) -> Pair:
    """Two customers, each with a bit of everything; the source is the older one."""
    source = customer_create(
        actor=supervisor,
        name="Jean Dupont",
        customer_since=dt.date(2019, 1, 2),
        tags=["vip", "ancien"],
    )
    target = customer_create(
        actor=supervisor,
        name="J. Dupont",
        customer_since=dt.date(2023, 4, 5),
        tags=["vip"],
    )
    for customer, suffix in ((source, "s"), (target, "t")):
        identity_add(
            actor=supervisor,
            customer=customer,
            kind="email",
            value=f"jean.{suffix}@exemple.fr",
        )
        address_add(
            actor=supervisor,
            customer=customer,
            line1=f"1 rue {suffix}",
            postal_code="75001",
            city="Paris",
        )
        consent_record(
            actor=supervisor,
            customer=customer,
            purpose="surveys",
            is_granted=True,
            source="web",
        )
        personal_fact_add(
            actor=supervisor,
            customer=customer,
            category="size",
            value="42",
            purpose="conseil taille",
            source="chat",
        )
        OrderFactory.create(customer=customer)
        case = CaseFactory.create(customer=customer)
        InteractionFactory.create(customer=customer, case=case)
    identity_add(actor=supervisor, customer=source, kind="phone", value="0612345678")
    return Pair(source=source, target=target)


@pytest.mark.django_db
def test_merge_moves_every_row_onto_the_target(supervisor: User, pair: Pair) -> None:
    result = customer_merge(actor=supervisor, source=pair.source, target=pair.target)

    for model in OWNED_MODELS:
        assert not model.objects.filter(customer=pair.source).exists(), model
    assert result.moved_counts == {
        "customers.identity": 2,
        "customers.address": 1,
        "customers.consent": 1,
        "customers.personalfact": 1,
        "commerce.order": 1,
        "conversations.interaction": 1,
        "cases.case": 1,
    }
    source = Customer.objects.get(pk=pair.source.pk)
    target = Customer.objects.get(pk=pair.target.pk)
    assert (source.status, source.merged_into_id) == (CustomerStatus.MERGED, target.pk)
    assert target.customer_since == dt.date(2019, 1, 2)
    assert sorted(target.tags.values_list("name", flat=True)) == ["ancien", "vip"]
    event = AuditEvent.objects.get(action="customer.merge")
    assert event.object_id == str(target.pk)
    assert event.after == {"source": source.pk, "moved": result.moved_counts}


@pytest.mark.django_db
def test_merge_keeps_one_default_address_and_one_primary_identity_per_kind(
    supervisor: User, pair: Pair
) -> None:
    customer_merge(actor=supervisor, source=pair.source, target=pair.target)

    defaults = Address.objects.filter(customer=pair.target, is_default=True)
    assert list(defaults.values_list("line1", flat=True)) == ["1 rue t"]
    primaries = Identity.objects.filter(customer=pair.target, is_primary=True)
    assert sorted(primaries.values_list("normalized", flat=True)) == [
        "+33612345678",
        "jean.t@exemple.fr",
    ]


@pytest.mark.django_db
def test_undo_restores_exactly_what_the_merge_moved(
    supervisor: User, pair: Pair
) -> None:
    before = _ownership()
    result = customer_merge(actor=supervisor, source=pair.source, target=pair.target)
    assert _ownership() != before

    merge = customer_merge_undo(actor=supervisor, merge=result.merge)

    assert _ownership() == before
    source = Customer.objects.get(pk=pair.source.pk)
    target = Customer.objects.get(pk=pair.target.pk)
    assert (source.status, source.merged_into_id) == (CustomerStatus.ACTIVE, None)
    assert target.customer_since == dt.date(2023, 4, 5)
    assert list(target.tags.values_list("name", flat=True)) == ["vip"]
    assert sorted(source.tags.values_list("name", flat=True)) == ["ancien", "vip"]
    assert merge.undone_at is not None
    assert AuditEvent.objects.get(action="customer.merge_undo").after == {
        "source": source.pk
    }


@pytest.mark.django_db
def test_undo_leaves_rows_added_to_the_target_after_the_merge(
    supervisor: User, pair: Pair
) -> None:
    result = customer_merge(actor=supervisor, source=pair.source, target=pair.target)
    later = OrderFactory.create(customer=pair.target)

    customer_merge_undo(actor=supervisor, merge=result.merge)

    assert Order.objects.get(pk=later.pk).customer_id == pair.target.pk


@pytest.mark.django_db
def test_a_customer_cannot_be_merged_into_itself(supervisor: User) -> None:
    customer = CustomerFactory.create()

    with pytest.raises(MergeNotAllowedError) as caught:
        customer_merge(actor=supervisor, source=customer, target=customer)

    assert caught.value.code == ErrorCode.CONFLICT
    assert caught.value.status == 409
    assert list(caught.value.fields) == ["target"]
    assert not CustomerMerge.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("merged_side", ["source", "target"])
def test_an_already_merged_customer_cannot_be_merged_again(
    supervisor: User, merged_side: str
) -> None:
    first, second, third = CustomerFactory.create_batch(3)
    customer_merge(actor=supervisor, source=first, target=third)
    arguments = (
        {"source": first, "target": second}
        if merged_side == "source"
        else {"source": second, "target": first}
    )

    with pytest.raises(MergeNotAllowedError):
        customer_merge(actor=supervisor, **arguments)

    assert CustomerMerge.objects.count() == 1
    assert Customer.objects.get(pk=second.pk).status == CustomerStatus.ACTIVE


@pytest.mark.django_db
def test_a_merge_cannot_be_undone_twice(supervisor: User, pair: Pair) -> None:
    result = customer_merge(actor=supervisor, source=pair.source, target=pair.target)
    customer_merge_undo(actor=supervisor, merge=result.merge)
    state = _ownership()

    with pytest.raises(MergeNotAllowedError):
        customer_merge_undo(actor=supervisor, merge=result.merge)

    assert _ownership() == state
    assert AuditEvent.objects.filter(action="customer.merge_undo").count() == 1


@pytest.mark.django_db
def test_an_undone_merge_can_be_redone(supervisor: User, pair: Pair) -> None:
    first = customer_merge(actor=supervisor, source=pair.source, target=pair.target)
    customer_merge_undo(actor=supervisor, merge=first.merge)

    again = customer_merge(actor=supervisor, source=pair.source, target=pair.target)

    assert again.moved_counts == first.moved_counts
    assert CustomerMerge.objects.filter(undone_at__isnull=True).count() == 1
