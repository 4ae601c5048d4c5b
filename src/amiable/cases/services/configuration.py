"""What administrators configure: the category and root-cause taxonomies, SLA
policies, routing rules and each team's skills and assignment mode.

Each save validates the whole row (choices, ranges, uniqueness: the model's own
``full_clean``), writes it and audits the change; the Django admin calls these.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from amiable.accounts.models import Team, User
from amiable.audit.services import audit_record
from amiable.cases.models import (
    AssignmentMode,
    CaseCategory,
    RootCause,
    RoutingRule,
    SlaPolicy,
    TaxonomyEntry,
    TeamRouting,
)
from amiable.core.errors import DuplicateError, ValidationError

M = TypeVar("M", bound=models.Model)
SLA_POLICY_FIELDS = {
    "name",
    "position",
    "is_active",
    "kind",
    "priority",
    "channel",
    "customer_tier",
    "first_response_minutes",
    "next_response_minutes",
    "resolution_minutes",
    "at_risk_percent",
    "pauses_on_third_party",
}
ROUTING_RULE_FIELDS = {
    "name",
    "position",
    "is_active",
    "kind",
    "priority",
    "channel",
    "customer_tier",
    "category",
    "language",
    "tag",
    "team",
}


def _values(instance: models.Model, names: set[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in sorted(names):
        value = getattr(instance, name)
        values[name] = value.pk if isinstance(value, models.Model) else value
    return values


def _save(
    *, actor: User | None, instance: M, changes: dict[str, Any], action: str
) -> M:
    unknown = set(changes) - {field.name for field in instance._meta.fields}
    if unknown:
        raise ValidationError(
            _("These fields cannot be set here."),
            fields={name: [_("Unknown field.")] for name in sorted(unknown)},
        )
    before = _values(instance, set(changes)) if instance.pk else None
    for name, value in changes.items():
        setattr(instance, name, value)
    try:
        instance.full_clean()
    except DjangoValidationError as error:
        fields = {
            name: [str(message) for message in messages]
            for name, messages in error.message_dict.items()
        }
        codes = {item.code for items in error.error_dict.values() for item in items}
        if codes <= {"unique", "unique_together"}:
            # Taken code or name: a conflict with an existing entry, as elsewhere.
            raise DuplicateError(
                _("An entry with this value already exists."), fields=fields
            ) from error
        raise ValidationError(
            _("Please correct the errors below."), fields=fields
        ) from error
    instance.save()
    audit_record(
        actor=actor,
        action=action,
        instance=instance,
        before=before,
        after=_values(instance, set(changes)),
    )
    return instance


@transaction.atomic
def taxonomy_entry_save(
    *,
    actor: User | None,
    model: type[RootCause] | type[CaseCategory],
    entry: TaxonomyEntry | None = None,
    code: str,
    name_fr: str,
    name_en: str,
    parent: TaxonomyEntry | None = None,
    is_active: bool = True,
) -> TaxonomyEntry:
    """Create or change a category or root cause. Two levels only: a parent must be
    a family (itself without parent) of the same taxonomy. Raises ValidationError,
    or DuplicateError for a taken code."""
    if parent is not None and (
        not isinstance(parent, model)
        or parent.parent_id is not None
        or (entry is not None and parent.pk == entry.pk)
    ):
        raise ValidationError(
            _("A family is a top-level entry of the same list."),
            fields={"parent": [_("Choose a top-level entry.")]},
        )
    instance = entry if entry is not None else model()
    return _save(
        actor=actor,
        instance=instance,
        changes={
            "code": code.strip().lower(),
            "name_fr": name_fr.strip(),
            "name_en": name_en.strip(),
            "parent": parent,
            "is_active": is_active,
        },
        action=f"{model._meta.model_name}.save",
    )


@transaction.atomic
def sla_policy_save(
    *, actor: User | None, policy: SlaPolicy | None = None, **fields: Any
) -> SlaPolicy:
    """Create or change an SLA policy (clocks already started keep their targets).
    Raises ValidationError, or DuplicateError for a
    taken code or name."""
    unknown = set(fields) - SLA_POLICY_FIELDS
    if unknown:
        raise ValidationError(
            _("These fields cannot be set here."),
            fields={name: [_("Unknown field.")] for name in sorted(unknown)},
        )
    instance = policy if policy is not None else SlaPolicy()
    if not any(
        fields.get(name, getattr(instance, name))
        for name in (
            "first_response_minutes",
            "next_response_minutes",
            "resolution_minutes",
        )
    ):
        raise ValidationError(
            _("Give the policy at least one target."),
            fields={"first_response_minutes": [_("At least one target.")]},
        )
    return _save(
        actor=actor, instance=instance, changes=fields, action="sla_policy.save"
    )


@transaction.atomic
def routing_rule_save(
    *, actor: User | None, rule: RoutingRule | None = None, **fields: Any
) -> RoutingRule:
    """Create or change a routing rule. Raises ValidationError, or DuplicateError for a
    taken code or name."""
    unknown = set(fields) - ROUTING_RULE_FIELDS
    if unknown:
        raise ValidationError(
            _("These fields cannot be set here."),
            fields={name: [_("Unknown field.")] for name in sorted(unknown)},
        )
    if "language" in fields:
        fields["language"] = str(fields["language"]).strip().lower()[:8]
    if "tag" in fields:
        fields["tag"] = str(fields["tag"]).strip()[:60]
    instance = rule if rule is not None else RoutingRule()
    return _save(
        actor=actor, instance=instance, changes=fields, action="routing_rule.save"
    )


def _codes(values: list[str], *, field: str) -> list[str]:
    cleaned = sorted({value.strip().lower() for value in values if value.strip()})
    if any(len(value) > 80 for value in cleaned):
        raise ValidationError(
            _("A code is at most 80 characters."), fields={field: [_("Too long.")]}
        )
    return cleaned


@transaction.atomic
def team_routing_save(
    *,
    actor: User | None,
    team: Team,
    languages: list[str],
    categories: list[str],
    assignment_mode: str = AssignmentMode.MANUAL,
) -> TeamRouting:
    """Set a team's skills (languages, category codes) and how its new cases are
    assigned. Raises ValidationError, or DuplicateError for a
    taken code or name."""
    instance = TeamRouting.objects.filter(team=team).first() or TeamRouting(team=team)
    return _save(
        actor=actor,
        instance=instance,
        changes={
            "languages": _codes(languages, field="languages"),
            "categories": _codes(categories, field="categories"),
            "assignment_mode": assignment_mode,
        },
        action="team_routing.save",
    )
