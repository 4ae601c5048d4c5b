"""Forms of merging cases (the selection, the target, the confirmation) and of
splitting messages off into a new case."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amiable.cases.forms import BulkCasesField
from amiable.cases.services import BulkTarget

# The value of the inbox's bulk action that leads to the merge page.
MERGE_ACTION = "merge"


class CaseMergeForm(forms.Form):
    """Cases to merge (``id`` or ``id:version`` tokens, as the inbox posts them),
    the one they are merged into, and whether the agent confirmed."""

    cases = BulkCasesField(label=_("Cases"))
    target = forms.IntegerField(
        label=_("Merge into"),
        required=False,
        min_value=1,
        error_messages={"invalid": _("Choose the case to keep.")},
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
    next = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        """The target joins the selection when it is not in it (the case page
        posts the case and the one to merge it into)."""
        data = super().clean() or {}
        if "cases" in self.errors:
            return data
        targets = list(data.get("cases") or [])
        target = data.get("target")
        if target is not None and target not in [t.case_id for t in targets]:
            targets.append(BulkTarget(case_id=target))
        data["cases"] = targets
        if len(targets) < 2:
            self.add_error("cases", _("Select at least two cases to merge."))
        if data.get("confirmed") and target is None and "target" not in self.errors:
            self.add_error("target", _("Choose the case to keep."))
        return data

    def tokens(self) -> list[str]:
        """The selection as posted, with the target when it was not in it."""
        tokens = [str(token) for token in self["cases"].value() or []]
        target = str(self["target"].value() or "")
        ids = {token.split(":")[0] for token in tokens}
        if target.isdigit() and target not in ids:
            tokens.append(target)
        return tokens


class CaseSplitForm(forms.Form):
    """The messages to move, and the new case's subject."""

    messages = forms.TypedMultipleChoiceField(
        label=_("Messages to move to the new case"),
        coerce=int,
        choices=(),
        error_messages={
            "required": _("Choose the messages to move to a new case."),
            "invalid_choice": _("This message is not on the case."),
        },
    )
    subject = forms.CharField(label=_("Subject of the new case"), max_length=255)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, message_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["messages"]
        assert isinstance(field, forms.TypedMultipleChoiceField)  # noqa: S101
        field.choices = [(str(pk), str(pk)) for pk in message_ids]
