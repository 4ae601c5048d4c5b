"""Macro services: who manages which macro, the rules of a macro, and applying one
to a case (text in the customer's language, status, priority, note, audit)."""

from __future__ import annotations

from typing import Any

import pytest

from amiable.accounts.models import Role, Team, User
from amiable.audit.models import AuditEvent
from amiable.cases.models import Case, CasePriority, CaseStatus
from amiable.conversations.models import Channel
from amiable.core.errors import PermissionDeniedError, VersionConflictError
from amiable.macros.errors import MacroInvalidError
from amiable.macros.models import Macro
from amiable.macros.selectors import macro_list, macro_list_for_case
from amiable.macros.services import (
    macro_apply,
    macro_create,
    macro_delete,
    macro_update,
)
from tests.factories import UserFactory
from tests.factories.macros import MacroFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "same_team", "allowed"),
    [
        (Role.AGENT, True, False),
        (Role.SUPERVISOR, True, True),
        (Role.SUPERVISOR, False, False),
        (Role.QUALITY_MANAGER, True, False),
        (Role.ADMIN, False, True),
    ],
)
def test_who_creates_a_team_macro(
    team: Team, other_team: Team, role: str, same_team: bool, allowed: bool
) -> None:
    actor = UserFactory.create(role=role, team=team if same_team else other_team)

    if allowed:
        macro = macro_create(actor=actor, team=team, name="Accueil", body_fr="Bonjour")
        assert macro.team == team
        assert macro.owner is None
        assert AuditEvent.objects.filter(action="macro.create").count() == 1
    else:
        with pytest.raises(PermissionDeniedError):
            macro_create(actor=actor, team=team, name="Accueil", body_fr="Bonjour")
        assert Macro.objects.count() == 0


def test_an_agent_creates_a_personal_macro(agent: User) -> None:
    macro = macro_create(actor=agent, name="Moi", body_en="Hi {{ first_name }}")

    assert macro.owner == agent
    assert macro.team is None


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"name": "  "}, "name"),
        ({"body_fr": "", "body_en": ""}, "body_fr"),
        ({"body_fr": "Bonjour {{ password }}"}, "body_fr"),
        ({"body_en": "{{ first_name.__class__ }}"}, "body_en"),
        ({"note": "{{ secret }}"}, "note"),
        ({"set_status": CaseStatus.CLOSED}, "set_status"),
        ({"set_status": CaseStatus.RESOLVED}, "set_status"),
    ],
)
def test_invalid_macros_are_refused_with_the_field(
    agent: User, values: dict[str, str], field: str
) -> None:
    arguments: dict[str, Any] = {"name": "Essai", "body_fr": "Bonjour"} | values

    with pytest.raises(MacroInvalidError) as raised:
        macro_create(actor=agent, **arguments)

    assert list(raised.value.fields) == [field]
    assert Macro.objects.count() == 0


def test_a_name_is_unique_per_owner(agent: User, personal_macro: Macro) -> None:
    with pytest.raises(MacroInvalidError) as raised:
        macro_create(actor=agent, name=personal_macro.name, body_fr="Autre")

    assert raised.value.fields == {"name": ["Choisissez un autre nom."]}


def test_only_the_owner_changes_a_personal_macro(
    agent: User, supervisor: User, personal_macro: Macro
) -> None:
    with pytest.raises(PermissionDeniedError):
        macro_update(actor=supervisor, macro=personal_macro, name="Pris")
    with pytest.raises(PermissionDeniedError):
        macro_delete(actor=supervisor, macro=personal_macro)

    changed = macro_update(actor=agent, macro=personal_macro, name="Renommée")
    assert changed.name == "Renommée"
    macro_delete(actor=agent, macro=personal_macro)
    assert Macro.objects.count() == 0
    assert [event.action for event in AuditEvent.objects.order_by("id")] == [
        "macro.update",
        "macro.delete",
    ]


def test_an_agent_cannot_change_a_team_macro(agent: User, team_macro: Macro) -> None:
    with pytest.raises(PermissionDeniedError):
        macro_update(actor=agent, macro=team_macro, body_fr="Changé")

    team_macro.refresh_from_db()
    assert team_macro.body_fr.startswith("Bonjour")


def test_the_lists_are_scoped(
    agent: User,
    other_agent: User,
    team_macro: Macro,
    personal_macro: Macro,
    case: Case,
) -> None:
    theirs = MacroFactory.create(team=other_agent.team)
    MacroFactory.create(team=None, owner=other_agent)

    assert list(macro_list(actor=agent)) == [team_macro, personal_macro]
    assert set(macro_list(actor=other_agent)) - {theirs} == {
        Macro.objects.get(owner=other_agent)
    }
    assert macro_list_for_case(actor=agent, case=case, text="excuses") == [team_macro]
    assert macro_list_for_case(actor=agent, case=case) == [team_macro, personal_macro]


def test_applying_fills_the_variables_in_french(
    agent: User, case: Case, team_macro: Macro
) -> None:
    applied = macro_apply(actor=agent, case=case, macro=team_macro, expected_version=1)

    assert applied.text == (
        "Bonjour Jeanne,\nVotre commande CMD-2026-1001 "
        f"({case.reference}) sera remboursée avant le 11 juin 2026."
    )
    assert applied.is_case_changed is False
    assert applied.case.version == 1


def test_applying_for_an_english_customer_uses_the_english_text(
    agent: User, case: Case, team_macro: Macro
) -> None:
    case.customer.preferred_language = "en"
    case.customer.save()

    applied = macro_apply(actor=agent, case=case, macro=team_macro, expected_version=1)

    assert applied.text == "Hello Jeanne, order CMD-2026-1001 is refunded."


def test_applying_sets_status_priority_and_adds_the_note(
    agent: User, case: Case, team: Team
) -> None:
    macro = MacroFactory.create(
        team=team,
        set_status=CaseStatus.WAITING_THIRD_PARTY,
        set_priority=CasePriority.HIGH,
        note="Relancer le transporteur pour {{ order_number }}",
    )

    applied = macro_apply(actor=agent, case=case, macro=macro, expected_version=1)

    case.refresh_from_db()
    note = case.interactions.get(channel=Channel.NOTE)
    assert applied.is_case_changed is True
    assert case.status == CaseStatus.WAITING_THIRD_PARTY
    assert case.priority == CasePriority.HIGH
    assert applied.case.version == case.version == 4
    assert note.body_text == "Relancer le transporteur pour CMD-2026-1001"
    assert AuditEvent.objects.filter(action="macro.apply").count() == 1


def test_applying_on_a_stale_version_changes_nothing(
    agent: User, case: Case, team: Team
) -> None:
    macro = MacroFactory.create(team=team, set_priority=CasePriority.URGENT)

    with pytest.raises(VersionConflictError):
        macro_apply(actor=agent, case=case, macro=macro, expected_version=7)

    case.refresh_from_db()
    assert case.priority == CasePriority.NORMAL
    assert case.version == 1


def test_a_macro_makes_its_promise_through_the_promises_service(
    agent: User, case: Case, team: Team
) -> None:
    from amiable.promises.models import Promise, PromiseKind

    macro = macro_create(
        actor=UserFactory.create(role=Role.ADMIN, team=None),
        name="Rappel sous 30 jours",
        team=team,
        body_fr="Nous vous rappelons.",
        promise_kind=PromiseKind.CALLBACK,
        promise_text="Rappeler au sujet de {{ order_number }}",
        promise_days=30,
    )

    applied = macro_apply(actor=agent, case=case, macro=macro, expected_version=1)

    promise = Promise.objects.filter(case=case).latest("id")
    assert applied.is_case_changed is True
    assert (promise.kind, promise.description) == (
        PromiseKind.CALLBACK,
        "Rappeler au sujet de CMD-2026-1001",
    )
    assert 29 <= (promise.due_at - promise.made_at).days <= 30
    assert promise.made_by == agent


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"promise_text": "", "promise_days": 3}, "promise_text"),
        ({"promise_text": "x", "promise_days": 0}, "promise_days"),
        ({"promise_text": "{{ x.y }}", "promise_days": 2}, "promise_text"),
    ],
)
def test_a_promise_without_text_or_date_is_refused(
    agent: User, fields: dict[str, Any], field: str
) -> None:
    with pytest.raises(MacroInvalidError) as refused:
        macro_create(
            actor=agent,
            name="Promesse",
            body_fr="Texte",
            promise_kind="callback",
            **fields,
        )

    assert field in refused.value.fields
