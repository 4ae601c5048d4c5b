"""Every write of macros: create, update, delete, and apply one to a case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from amiable.accounts.models import Team, User
from amiable.audit.services import audit_record, snapshot
from amiable.cases.models import Case, CaseStatus
from amiable.cases.selectors import custom_field_list
from amiable.cases.services import (
    case_add_note,
    case_change_status,
    case_classify,
    case_update,
    field_value_clean,
    tag_names_clean,
)
from amiable.core.clock import now
from amiable.core.errors import ApplicationError, PermissionDeniedError
from amiable.macros.errors import MacroInvalidError
from amiable.macros.models import Macro
from amiable.macros.permissions import can_manage_macro
from amiable.macros.rendering import render_macro_text, unknown_variables
from amiable.macros.selectors import macro_context
from amiable.promises.models import PromiseKind
from amiable.promises.services import promise_make

AUDITED_FIELDS = [
    "name",
    "team_id",
    "owner_id",
    "body_fr",
    "body_en",
    "set_status",
    "set_priority",
    "note",
    "promise_kind",
    "promise_text",
    "promise_days",
    "add_tags",
    "set_field_key",
    "set_field_value",
    "is_active",
]
MAX_PROMISE_DAYS = 365
# A macro moves a case between working statuses; resolving needs a summary and
# closing a confirmation, so neither is done by a macro.
MACRO_STATUSES = (
    CaseStatus.OPEN,
    CaseStatus.WAITING_CUSTOMER,
    CaseStatus.WAITING_THIRD_PARTY,
)
EDITABLE = frozenset(AUDITED_FIELDS) - {"team_id", "owner_id"}


@dataclass(frozen=True)
class MacroApplied:
    """What applying a macro did: the text to put in the composer (in the
    customer's language, variables filled) and whether the case changed."""

    text: str
    case: Case
    is_case_changed: bool


def _check(values: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    if not str(values.get("name", "")).strip():
        errors["name"] = [_("A macro needs a name.")]
    if (
        not str(values.get("body_fr", "")).strip()
        and not str(values.get("body_en", "")).strip()
    ):
        errors["body_fr"] = [_("Write the text in French, in English or both.")]
    if values.get("promise_kind"):
        if values["promise_kind"] not in PromiseKind.values:
            errors["promise_kind"] = [_("Unknown promise type.")]
        if not str(values.get("promise_text", "")).strip():
            errors["promise_text"] = [_("Say what the macro promises.")]
        if not 1 <= int(values.get("promise_days") or 0) <= MAX_PROMISE_DAYS:
            errors["promise_days"] = [_("Between 1 and 365 days.")]
    for field in ("body_fr", "body_en", "note", "promise_text"):
        unknown = unknown_variables(str(values.get(field, "")))
        if unknown:
            errors[field] = [
                _("Unknown variables: %(names)s.") % {"names": ", ".join(unknown)}
            ]
    if values.get("set_status") and values["set_status"] not in MACRO_STATUSES:
        errors["set_status"] = [_("A macro cannot set this status.")]
    errors |= _check_classification(values)
    if errors:
        raise MacroInvalidError(_("The macro cannot be saved."), fields=errors)


def macro_tag_names(add_tags: str) -> list[str]:
    """The tags a macro adds, from its comma-separated list."""
    return [name.strip() for name in add_tags.split(",") if name.strip()]


def _check_classification(values: dict[str, Any]) -> dict[str, list[str]]:
    """The tags must be names, the custom field an active one and its value of the
    field's type."""
    errors: dict[str, list[str]] = {}
    try:
        tag_names_clean(macro_tag_names(str(values.get("add_tags", ""))))
    except ApplicationError as exc:
        errors["add_tags"] = [exc.message]
    key = str(values.get("set_field_key", ""))
    if not key:
        return errors
    field = custom_field_list(actor=None).filter(key=key).first()
    if field is None:
        errors["set_field_key"] = [_("No such custom field.")]
        return errors
    try:
        field_value_clean(field, values.get("set_field_value", ""))
    except ApplicationError as exc:
        errors["set_field_value"] = [exc.message]
    return errors


def _name_taken(*, team: Team | None, owner: User | None, name: str, pk: int) -> bool:
    queryset = Macro.objects.filter(name=name).exclude(pk=pk)
    if owner is not None:
        return queryset.filter(owner=owner).exists()
    return queryset.filter(team=team).exists()


def _check_name(*, team: Team | None, owner: User | None, name: str, pk: int) -> None:
    if _name_taken(team=team, owner=owner, name=name, pk=pk):
        raise MacroInvalidError(
            _("A macro of this name already exists."),
            fields={"name": [_("Choose another name.")]},
        )


@transaction.atomic
def macro_create(
    *,
    actor: User,
    name: str,
    team: Team | None = None,
    body_fr: str = "",
    body_en: str = "",
    set_status: str = "",
    set_priority: str = "",
    note: str = "",
    promise_kind: str = "",
    promise_text: str = "",
    promise_days: int = 0,
    add_tags: str = "",
    set_field_key: str = "",
    set_field_value: str = "",
    is_active: bool = True,
) -> Macro:
    """Create a team macro (``team`` given) or a personal one (the actor's).

    Raises PermissionDeniedError when the actor may not manage that team's macros,
    MacroInvalidError for a bad name, text, variable or status.
    """
    owner = None if team is not None else actor
    if not can_manage_macro(
        actor, team_id=team.pk if team else None, owner_id=owner.pk if owner else None
    ):
        raise PermissionDeniedError(_("You may not manage this team's macros."))
    values = {
        "name": name.strip(),
        "body_fr": body_fr,
        "body_en": body_en,
        "set_status": set_status,
        "set_priority": set_priority,
        "note": note,
        "promise_kind": promise_kind,
        "promise_text": promise_text.strip(),
        "promise_days": promise_days,
        "add_tags": ", ".join(macro_tag_names(add_tags)),
        "set_field_key": set_field_key.strip(),
        "set_field_value": set_field_value.strip(),
        "is_active": is_active,
    }
    _check(values)
    _check_name(team=team, owner=owner, name=str(values["name"]), pk=0)
    macro = Macro.objects.create(team=team, owner=owner, **values)
    audit_record(
        actor=actor,
        action="macro.create",
        instance=macro,
        after=snapshot(macro, AUDITED_FIELDS),
    )
    return macro


@transaction.atomic
def macro_update(*, actor: User, macro: Macro, **changes: Any) -> Macro:
    """Change a macro's name, texts, actions or active flag.

    Raises PermissionDeniedError, MacroInvalidError.
    """
    if not can_manage_macro(actor, team_id=macro.team_id, owner_id=macro.owner_id):
        raise PermissionDeniedError(_("You may not manage this macro."))
    unknown = set(changes) - EDITABLE
    if unknown:
        raise MacroInvalidError(
            _("These fields cannot be changed here."),
            fields={name: [_("Unknown or read-only field.")] for name in unknown},
        )
    macro = Macro.objects.select_for_update().get(pk=macro.pk)
    before = snapshot(macro, AUDITED_FIELDS)
    if "name" in changes:
        changes["name"] = str(changes["name"]).strip()
    values = {field: getattr(macro, field) for field in EDITABLE} | changes
    _check(values)
    _check_name(
        team=macro.team, owner=macro.owner, name=str(values["name"]), pk=macro.pk
    )
    for field, value in changes.items():
        setattr(macro, field, value)
    macro.save()
    audit_record(
        actor=actor,
        action="macro.update",
        instance=macro,
        before=before,
        after=snapshot(macro, AUDITED_FIELDS),
    )
    return macro


@transaction.atomic
def macro_delete(*, actor: User, macro: Macro) -> None:
    """Delete a macro. Raises PermissionDeniedError."""
    if not can_manage_macro(actor, team_id=macro.team_id, owner_id=macro.owner_id):
        raise PermissionDeniedError(_("You may not manage this macro."))
    audit_record(
        actor=actor,
        action="macro.delete",
        instance=macro,
        before=snapshot(macro, AUDITED_FIELDS),
    )
    macro.delete()


@transaction.atomic
def macro_apply(
    *, actor: User, case: Case, macro: Macro, expected_version: int | None = None
) -> MacroApplied:
    """Apply ``macro`` to ``case``: set its status and priority, add its tags and
    set its custom field, add its note (each
    through the cases services, so audited and versioned), make its promise
    (through the promises service: a date sooner than history suggests is
    refused with PromiseSoonerThanSuggestedError), and return its text in
    the customer's language with the variables filled, for the composer. The text
    is not sent: the agent reviews it and sends the reply.

    Raises VersionConflictError, InvalidTransitionError (a status the case cannot
    take now), ValidationError.
    """
    context = macro_context(actor=actor, case=case)
    text = render_macro_text(
        macro.body_in(case.customer.preferred_language or "fr"), context
    )
    changed = False
    version = expected_version
    if macro.set_priority and macro.set_priority != case.priority:
        case = case_update(
            actor=actor,
            case=case,
            expected_version=version,
            priority=macro.set_priority,
        )
        version, changed = case.version, True
    if macro.set_status and macro.set_status != case.status:
        case = case_change_status(
            actor=actor, case=case, status=macro.set_status, expected_version=version
        )
        version, changed = case.version, True
    tags = macro_tag_names(macro.add_tags)
    if tags or macro.set_field_key:
        before_version = case.version
        case = case_classify(
            actor=actor,
            case=case,
            expected_version=version,
            add_tags=tags,
            fields={macro.set_field_key: macro.set_field_value}
            if macro.set_field_key
            else None,
        )
        if case.version != before_version:
            version, changed = case.version, True
    if macro.note.strip():
        case_add_note(
            actor=actor,
            case=case,
            body_text=render_macro_text(macro.note, context),
            expected_version=version,
        )
        changed = True
    if macro.promise_kind:
        promise_make(
            actor=actor,
            case=case,
            kind=macro.promise_kind,
            description=render_macro_text(macro.promise_text, context),
            due_at=now() + dt.timedelta(days=macro.promise_days),
        )
        changed = True
    audit_record(
        actor=actor,
        action="macro.apply",
        instance=macro,
        after={"case_id": case.pk, "case_changed": changed},
    )
    case.refresh_from_db()
    return MacroApplied(text=text, case=case, is_case_changed=changed)
