"""What the promise panel of the case page shows: the case's promises, the
two-click presets, the "make a promise" form with its realistic suggestion."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.core.clock import now
from amiable.promises.dates import at_local_time, local_date
from amiable.promises.forms import (
    LOCAL_INPUT,
    PromiseMakeForm,
    PromiseRenegotiateForm,
)
from amiable.promises.models import PromiseKind
from amiable.promises.selectors import promise_list_for_case
from amiable.promises.suggestions import Suggestion, promise_suggest


@dataclass(frozen=True)
class Preset:
    key: str
    kind: str
    label: Any  # lazy: translated when shown
    text: Any  # what the customer reads, in their language


def _tomorrow_noon(moment: dt.datetime) -> dt.datetime:
    return at_local_time(local_date(moment) + dt.timedelta(days=1), 12)


def _in_days(days: int) -> Any:
    def due(moment: dt.datetime) -> dt.datetime:
        return at_local_time(local_date(moment) + dt.timedelta(days=days), 18)

    return due


PRESETS: dict[str, tuple[Preset, Any]] = {
    "callback_tomorrow_noon": (
        Preset(
            "callback_tomorrow_noon",
            PromiseKind.CALLBACK,
            gettext_lazy("Call back tomorrow before noon"),
            gettext_lazy("I will call you back tomorrow before noon."),
        ),
        _tomorrow_noon,
    ),
    "answer_in_2_days": (
        Preset(
            "answer_in_2_days",
            PromiseKind.INFORMATION,
            gettext_lazy("Answer within 2 days"),
            gettext_lazy("I will come back to you with an answer within 2 days."),
        ),
        _in_days(2),
    ),
    "refund_in_14_days": (
        Preset(
            "refund_in_14_days",
            PromiseKind.REFUND,
            gettext_lazy("Refund within 14 days"),
            gettext_lazy("You will be refunded within 14 days."),
        ),
        _in_days(14),
    ),
    "replacement_in_7_days": (
        Preset(
            "replacement_in_7_days",
            PromiseKind.REPLACEMENT,
            gettext_lazy("Replacement within 7 days"),
            gettext_lazy("A replacement will be sent to you within 7 days."),
        ),
        _in_days(7),
    ),
}


@dataclass(frozen=True)
class PresetChoice:
    kind: str
    description: str
    due_at: dt.datetime


def preset_resolve(
    key: str, *, language: str, at: dt.datetime | None = None
) -> PresetChoice | None:
    """A preset's type, its text in the customer's ``language`` and its due time."""
    entry = PRESETS.get(key)
    if entry is None:
        return None
    preset, due = entry
    with translation.override(language):
        text = str(preset.text)
    return PresetChoice(kind=preset.kind, description=text, due_at=due(at or now()))


def _local_input(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime(LOCAL_INPUT)


def make_form_for(suggestion: Suggestion, kind: str) -> PromiseMakeForm:
    return PromiseMakeForm(
        initial={"kind": kind, "due_at": _local_input(suggestion.due_at)},
        auto_id="promise_%s",
    )


def case_panel_context(
    *,
    actor: User,
    case: Case,
    form: forms.Form | None = None,
    kind: str = PromiseKind.CALLBACK,
    notice: str = "",
    confirm: dict[str, Any] | None = None,
    renegotiate_errors: dict[int, forms.Form] | None = None,
) -> dict[str, Any]:
    """The panel's context in a fixed number of queries (promises, history for the
    suggestion, the agent's kept-rate)."""
    suggestion = promise_suggest(kind=kind, category=case.category, agent=actor)
    promises = promise_list_for_case(actor=actor, case=case)
    bound = renegotiate_errors or {}
    return {
        "case": case,
        "rows": [
            (
                promise,
                (
                    bound.get(promise.pk)
                    or PromiseRenegotiateForm(auto_id=f"renegotiate_{promise.pk}_%s")
                )
                if promise.is_live
                else None,
            )
            for promise in promises
        ],
        "presets": [entry[0] for entry in PRESETS.values()],
        "make_form": form or make_form_for(suggestion, kind),
        "suggestion": suggestion,
        "notice": notice,
        "confirm": confirm,
        "kind_labels": dict(PromiseKind.choices),
        "no_history_label": _("no history yet: the usual time for this type"),
    }
