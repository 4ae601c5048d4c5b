"""Two agents merging one case at once: one merge goes through, the other is
refused (the check under the row locks, and the partial unique index)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from amiable.accounts.models import Team, User
from amiable.cases.errors import (
    CaseAlreadyMergedError,
)
from amiable.cases.models import (
    Case,
    CaseMerge,
    CaseMergeSource,
    CaseStatus,
)
from amiable.cases.services import (
    case_merge,
    merging,
)
from amiable.conversations.models import Channel, Interaction
from amiable.customers.models import Customer
from tests.factories import (
    CaseFactory,
    CustomerFactory,
)


def _fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def customer(db: None) -> Customer:
    return CustomerFactory.create(name="Élodie Martin")


@pytest.mark.django_db
def test_the_database_refuses_a_second_active_merge_of_one_case(
    customer: Customer, team: Team, agent: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two agents merging one case at the same instant, both past the check
    before either wrote: the unique active row lets one merge through."""
    first_target, second_target, source = CaseFactory.create_batch(
        3, customer=customer, team=team
    )
    case_merge(actor=agent, target=first_target, sources=[source])
    # The second agent's check ran before the first merge was written.
    monkeypatch.setattr(merging, "merge_check", lambda **kwargs: None)

    with pytest.raises(CaseAlreadyMergedError):
        case_merge(actor=agent, target=second_target, sources=[source])

    assert CaseMergeSource.objects.filter(case=source, is_active=True).count() == 1
    assert CaseMerge.objects.count() == 1
    assert _fresh(second_target).status == CaseStatus.OPEN


@pytest.mark.django_db(transaction=True)
def test_two_agents_merging_one_case_in_two_threads_get_one_merge(
    customer: Customer, team: Team, agent: User, supervisor: User
) -> None:
    first_target, second_target, source = CaseFactory.create_batch(
        3, customer=customer, team=team
    )
    barrier = threading.Barrier(2)

    def merge(actor: User, target: Case) -> str:
        barrier.wait(timeout=10)
        try:
            case_merge(actor=actor, target=target, sources=[source])
        except CaseAlreadyMergedError as exc:
            return str(exc.code)
        finally:
            connection.close()
        return "merged"

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(
            pool.map(merge, [agent, supervisor], [first_target, second_target])
        )

    assert outcomes == ["case_already_merged", "merged"]
    assert CaseMergeSource.objects.filter(case=source, is_active=True).count() == 1
    assert Interaction.objects.filter(case=source, channel=Channel.SYSTEM).count() == 1
