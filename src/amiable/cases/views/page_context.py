"""What the case page shows: the timeline, the customer 360, the merge state and
the context of every action form (bound when one came back with errors)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language

from amiable.accounts.models import User
from amiable.accounts.permissions import can_assign_others
from amiable.accounts.selectors import user_list_assignable
from amiable.cases.classification_forms import CaseClassifyForm
from amiable.cases.forms import (
    AssignForm,
    CallForm,
    EscalateForm,
    ForwardForm,
    NoteForm,
    ReplyForm,
    ResolveForm,
    StatusForm,
    VersionedForm,
    reply_channel_of,
)
from amiable.cases.lifecycle import NEEDS_ROOT_CAUSE, allowed_next
from amiable.cases.models import Case, CaseStatus, EscalationLevel
from amiable.cases.permissions import escalation_levels_for
from amiable.cases.selectors import (
    case_escalation_list,
    case_ladder,
    case_merge_state,
    case_reply_sender,
    case_sla_clocks,
    case_timeline,
    category_list_active,
    customer_360,
    reply_draft_initial,
    root_cause_list_active,
)
from amiable.cases.views.classification import classify_context
from amiable.cases.views.live import case_page_live_context

FORM_CLASSES: dict[str, type[VersionedForm]] = {
    "reply": ReplyForm,
    "note": NoteForm,
    "call": CallForm,
    "status": StatusForm,
    "assign": AssignForm,
    "resolve": ResolveForm,
    "escalate": EscalateForm,
    "forward": ForwardForm,
}


def action_context(
    actor: User, case: Case, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    """What the action forms need: one form per action, unbound unless given."""
    allowed = allowed_next(case.status, case.kind)
    escalations = case_escalation_list(actor=actor, case=case)
    categories = _category_choices(actor)
    context: dict[str, Any] = {
        "case": case,
        # Resolving has its own form (a summary, maybe a category and root cause).
        "allowed_statuses": [
            (value, CaseStatus(value).label)
            for value in allowed
            if value != CaseStatus.RESOLVED
        ],
        "can_resolve": CaseStatus.RESOLVED in allowed,
        "needs_root_cause": case.kind in NEEDS_ROOT_CAUSE,
        "categories": categories,
        "category_label": dict(categories).get(case.category, case.category),
        "root_causes": _root_cause_groups(actor),
        "can_assign_others": can_assign_others(actor),
        "assignees": user_list_assignable(actor=actor),
        "root_cause_label": case.root_cause.name_in(get_language() or "fr")
        if case.root_cause
        else "",
        "sla_clocks": case_sla_clocks(actor=actor, case=case),
        "reply_sender": case_reply_sender(case=case),
        "default_sender": settings.DEFAULT_FROM_EMAIL,
        "escalations": escalations,
        "ladder": case_ladder(case, escalations),
        "escalation_choices": [
            (level, EscalationLevel(level).label)
            for level in escalation_levels_for(actor, case.escalation_level)
        ]
        if case.is_open
        else [],
    }
    bound_classify = (bound or {}).get("classify")
    context |= classify_context(
        actor,
        case,
        bound_classify if isinstance(bound_classify, CaseClassifyForm) else None,
    )
    context |= case_page_live_context(actor, case)
    draft: dict[str, Any] = {
        **reply_draft_initial(actor=actor, case=case),  # another device's too
        "seen": context["mark"].last_interaction_id if context["mark"] else 0,
    }
    for name, form_class in FORM_CLASSES.items():
        initial = {"version": case.version, "channel": reply_channel_of(case.channel)}
        initial |= draft if name == "reply" else {}
        context[f"{name}_form"] = form_class(initial=initial, auto_id=f"{name}_%s")
    context.update(
        {
            f"{name}_form": form
            for name, form in (bound or {}).items()
            if name in FORM_CLASSES
        }
    )
    return context


def _root_cause_groups(actor: User) -> list[tuple[str, list[tuple[int, str]]]]:
    """Active causes as (family name, [(id, name)]) in the page's language, for an
    <optgroup> select (one query); a family that has causes is not selectable."""
    language = get_language() or "fr"
    entries = root_cause_list_active(actor=actor)
    with_children = {entry.parent_id for entry in entries if entry.parent_id}
    groups: dict[str, list[tuple[int, str]]] = {}
    for entry in entries:
        if entry.pk in with_children:
            continue
        family = entry.parent.name_in(language) if entry.parent else ""
        groups.setdefault(family, []).append((entry.pk, entry.name_in(language)))
    return sorted(groups.items())


def _category_choices(actor: User) -> list[tuple[str, str]]:
    language = get_language() or "fr"
    return [
        (
            entry.code,
            f"{entry.parent.name_in(language)} › {entry.name_in(language)}"
            if entry.parent
            else entry.name_in(language),
        )
        for entry in category_list_active(actor=actor)
    ]


def detail_context(
    actor: User, case: Case, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    # First: the actions' context takes the latest e-mail and entry from it.
    interactions = case_timeline(actor=actor, case=case)
    context = action_context(actor, case, bound)
    context["interactions"] = interactions
    context["summary"] = customer_360(
        actor=actor, customer=case.customer, with_open_cases=True
    )
    context["merge_state"] = case_merge_state(actor=actor, case=case)
    return context
