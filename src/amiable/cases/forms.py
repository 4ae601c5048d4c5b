"""Web forms of the case pages: they check shape only; services own the rules."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amiable.cases.models import (
    CaseKind,
    CasePriority,
    CaseStatus,
    EscalationLevel,
    SlaState,
)
from amiable.cases.selectors import INBOX_VIEWS
from amiable.cases.services import BULK_MAX_CASES, BulkAction, BulkKind, BulkTarget
from amiable.conversations.models import CallOutcome, Channel, Direction
from amiable.core.form_fields import EmailListField, MultipleFileField

SORT_CHOICES = [
    ("-last_activity_at", _("Latest activity first")),
    ("last_activity_at", _("Oldest activity first")),
    ("-opened_at", _("Newest first")),
    ("opened_at", _("Oldest first")),
]
MAX_BODY = 200_000


class AnyOrSeveralChoiceField(forms.MultipleChoiceField):
    """Several choices or none: the empty « any » option of a select is no choice,
    not an invalid one."""

    def to_python(self, value: Any) -> list[str]:
        return [item for item in super().to_python(value) if item]


class AnyOrSeveralTypedChoiceField(forms.TypedMultipleChoiceField):
    def to_python(self, value: Any) -> list[str]:
        return [item for item in super().to_python(value) if item]


class InboxFilterForm(forms.Form):
    """The inbox's GET parameters. Invalid values are reported and ignored; empty
    ones (« any ») are no filter."""

    view = forms.ChoiceField(
        label=_("View"),
        choices=[("", "")] + [(view.name, view.label) for view in INBOX_VIEWS],
        required=False,
    )
    status = AnyOrSeveralChoiceField(
        label=_("Status"), choices=CaseStatus.choices, required=False
    )
    kind = AnyOrSeveralChoiceField(
        label=_("Kind"), choices=CaseKind.choices, required=False
    )
    priority = AnyOrSeveralChoiceField(
        label=_("Priority"), choices=CasePriority.choices, required=False
    )
    team = forms.IntegerField(label=_("Team"), required=False, min_value=1)
    assignee = forms.RegexField(
        label=_("Assignee"), regex=r"^(me|none|\d{1,12})$", required=False
    )
    sla = AnyOrSeveralChoiceField(
        label=_("Service level"),
        choices=[(value, label) for value, label in SlaState.choices if value],
        required=False,
    )
    escalation = AnyOrSeveralTypedChoiceField(
        label=_("Escalation"),
        choices=[
            (str(value), label)
            for value, label in EscalationLevel.choices
            if value > EscalationLevel.AGENT
        ],
        coerce=int,
        required=False,
    )
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    tag = forms.CharField(label=_("Tag"), max_length=60, required=False)
    field = forms.RegexField(
        label=_("Custom field"), regex=r"^[a-z][a-z0-9_]{0,39}$", required=False
    )
    field_value = forms.CharField(label=_("Its value"), max_length=200, required=False)
    sort = forms.ChoiceField(label=_("Sort"), choices=SORT_CHOICES, required=False)
    cursor = forms.CharField(required=False, max_length=1000)


class SavedViewForm(forms.Form):
    name = forms.CharField(label=_("View name"), max_length=80)
    query = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)


class VersionedForm(forms.Form):
    """Every case form carries the version the agent saw (optimistic locking)."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


# The channels a reply can go out on: ours (email, SMS) or the outbox's.
REPLY_CHANNELS = [
    (channel.value, channel.label)
    for channel in (
        Channel.EMAIL,
        Channel.SMS,
        Channel.SOCIAL,
        Channel.CHAT,
        Channel.PORTAL,
    )
]


def reply_channel_of(channel: str) -> str:
    """The composer's default: the channel the customer used, when we can answer
    on it, else email."""
    return channel if channel in dict(REPLY_CHANNELS) else Channel.EMAIL.value


class ReplyForm(VersionedForm):
    channel = forms.ChoiceField(
        label=_("Answer by"), choices=REPLY_CHANNELS, required=False
    )

    def clean_channel(self) -> str:
        return str(self.cleaned_data.get("channel") or Channel.EMAIL.value)

    body = forms.CharField(
        label=_("Reply to the customer"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 5}),
        strip=False,
    )
    is_markdown = forms.BooleanField(
        label=_("Format with Markdown (**bold**, lists, links)"), required=False
    )
    wait_for_customer = forms.BooleanField(
        label=_("Then wait for the customer's answer"), required=False
    )
    cc = EmailListField(
        label=_("Cc"),
        required=False,
        help_text=_("Email addresses, separated by commas."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "email"}),
    )
    bcc = EmailListField(
        label=_("Bcc"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "email"}),
    )
    attachments = MultipleFileField(label=_("Attach files"), required=False)
    # The latest interaction the page showed: a colleague's reply after it asks
    # for a confirmation (send_anyway) before this one goes.
    seen = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    send_anyway = forms.BooleanField(required=False, widget=forms.HiddenInput)


class IdListField(forms.Field):
    """Several ids under one name (checkboxes): a list of distinct integers."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        ids: list[int] = []
        for item in values:
            text = str(item).strip()
            if not text.isdigit() or len(text) > 12:
                raise forms.ValidationError(_("Unknown message."), code="invalid")
            if int(text) not in ids:
                ids.append(int(text))
        return ids


class ForwardForm(VersionedForm):
    """Forward messages of the case, or a written message, to a third party."""

    to = EmailListField(
        label=_("To"),
        help_text=_("The carrier's or warehouse's email addresses."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "email"}),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Message to the third party"),
        max_length=MAX_BODY,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        strip=False,
    )
    messages = IdListField(label=_("Messages to forward"), required=False)
    attachments = MultipleFileField(label=_("Attach files"), required=False)


class NoteForm(VersionedForm):
    body = forms.CharField(
        label=_("Internal note"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 4}),
        strip=False,
    )


class CallForm(VersionedForm):
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=[
            (Direction.INBOUND.value, _("Customer called us")),
            (Direction.OUTBOUND.value, _("We called the customer")),
        ],
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=0, max_value=24 * 60
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=CallOutcome.choices)
    notes = forms.CharField(
        label=_("Call notes"),
        max_length=MAX_BODY,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        strip=False,
    )


class StatusForm(VersionedForm):
    # Every status is accepted here so an illegal move reaches the service, which
    # answers with its 409 message; the page only offers the allowed ones.
    status = forms.ChoiceField(label=_("New status"), choices=CaseStatus.choices)
    # Closing ends the case: the page asks once more before it does.
    confirm_close = forms.BooleanField(required=False)


class AssignForm(VersionedForm):
    assignee = forms.RegexField(
        label=_("Assignee"), regex=r"^(me|\d{1,12})?$", required=False
    )


class ResolveForm(VersionedForm):
    resolution_summary = forms.CharField(
        label=_("How was it resolved?"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,  # the service says what is missing, with the kind's rules
    )
    category = forms.CharField(label=_("Category"), max_length=80, required=False)
    root_cause = forms.IntegerField(label=_("Root cause"), min_value=1, required=False)


class EscalateForm(VersionedForm):
    level = forms.TypedChoiceField(
        label=_("Escalate to"),
        choices=[
            (str(value), label)
            for value, label in EscalationLevel.choices
            if value > EscalationLevel.AGENT
        ],
        coerce=int,
    )
    reason = forms.CharField(
        label=_("Why?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,  # the service explains that a reason is needed
    )


CASE_TOKEN = re.compile(r"^([1-9][0-9]{0,17})(?::([1-9][0-9]{0,9}))?$")
ACTION_TOKEN = re.compile(
    r"^(assign|status|priority|tag_add|tag_remove):([a-z_]{0,30}|[0-9]{1,12})$"
)


class BulkCasesField(forms.Field):
    """The selected cases, each ``id:version`` (the version the agent saw)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Select at least one case."),
        "invalid": _("The selection is not valid: reload the inbox."),
        "too_many": _("At most %(max)d cases at once."),
    }

    def to_python(self, value: Any) -> list[BulkTarget]:
        if not value:
            return []
        if not isinstance(value, list | tuple):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        targets = []
        for token in value:
            match = CASE_TOKEN.match(str(token))
            if match is None:
                raise forms.ValidationError(
                    self.error_messages["invalid"], code="invalid"
                )
            version = int(match[2]) if match[2] else None
            targets.append(BulkTarget(case_id=int(match[1]), version=version))
        return targets

    def validate(self, value: Any) -> None:
        super().validate(value)
        if len(value) > BULK_MAX_CASES:
            raise forms.ValidationError(
                self.error_messages["too_many"],
                code="too_many",
                params={"max": BULK_MAX_CASES},
            )


class BulkActionForm(forms.Form):
    """A bulk action of the inbox: the cases, the action (``assign:me``,
    ``assign:none``, ``assign:<user id>``, ``status:<status>``,
    ``priority:<priority>``), and whether the agent confirmed it."""

    cases = BulkCasesField(label=_("Cases"))
    action = forms.CharField(
        label=_("Action"),
        max_length=50,
        error_messages={"required": _("Choose what to do with the selected cases.")},
    )
    tag = forms.CharField(label=_("Tag"), required=False, max_length=60)
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
    next = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def clean_action(self) -> BulkAction:
        match = ACTION_TOKEN.match(self.cleaned_data["action"])
        if match is None:
            raise forms.ValidationError(_("Choose an action of the list."))
        if match[1] in {BulkKind.TAG_ADD, BulkKind.TAG_REMOVE}:
            # The tag is typed beside the action (``tag_add:`` + the tag field).
            tag = str(self.data.get("tag", "")).strip()[:60]
            if not tag:
                raise forms.ValidationError(_("Type the tag to add or remove."))
            return BulkAction(kind=BulkKind(match[1]), value=tag)
        if not match[2]:
            raise forms.ValidationError(_("Choose an action of the list."))
        return BulkAction(kind=BulkKind(match[1]), value=match[2])
