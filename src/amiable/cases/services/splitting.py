"""Splitting a case: chosen messages move to a new case of the same customer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.audit.services import audit_record
from amiable.cases.errors import CaseAlreadyMergedError, CaseMergeRefusedError
from amiable.cases.models import Case, CaseKind, CaseMerge, CaseMergeKind
from amiable.cases.selectors.merging import case_merged_into
from amiable.cases.services.merge_rows import timeline_line
from amiable.cases.services.merging import case_check_actionable
from amiable.cases.services.opening import case_open
from amiable.cases.services.versioning import _lock, _write
from amiable.conversations.models import Channel, Interaction
from amiable.core.clock import now
from amiable.core.errors import ValidationError
from amiable.events.catalogue import CaseSplit
from amiable.events.services import event_emit


@dataclass(frozen=True)
class SplitResult:
    merge: CaseMerge
    origin: Case
    case: Case  # the new case


def _messages(case: Case, interaction_ids: Sequence[int]) -> list[int]:
    """The chosen messages, all on ``case`` and none an activity line; raises
    ValidationError or CaseMergeRefusedError otherwise (or when none would be
    left on the case)."""
    chosen = set(interaction_ids)
    if not chosen:
        raise ValidationError(
            _("Choose the messages to move to a new case."),
            fields={"interaction_ids": [_("Required.")]},
        )
    messages = Interaction.objects.filter(case=case).exclude(channel=Channel.SYSTEM)
    on_case = set(messages.filter(pk__in=chosen).values_list("pk", flat=True))
    if on_case != chosen:
        raise ValidationError(
            _("Some of the chosen messages are not on this case."),
            fields={"interaction_ids": [_("Not on this case.")]},
        )
    if messages.exclude(pk__in=chosen).count() == 0:
        raise CaseMergeRefusedError(
            _(
                "Leave at least one message on the case: to move them all, change "
                "the case instead."
            ),
            fields={"interaction_ids": [_("Keep at least one message.")]},
        )
    return sorted(chosen)


@transaction.atomic
def case_split(
    *,
    actor: User,
    case: Case,
    interaction_ids: Sequence[int],
    subject: str,
    expected_version: int | None = None,
) -> SplitResult:
    """Open a new case for the same customer (same team, assignee, kind and
    priority; a dispute's new case is a complaint) and move the chosen messages
    (with their attachments) to it; a line on both timelines, one audit event
    per case, one ``case.split`` event, an undo record.

    Raises ValidationError (no message, one not on the case, no subject),
    CaseMergeRefusedError (no message left), CaseAlreadyMergedError,
    PermissionDeniedError (another team's case), CaseVersionConflictError."""
    origin = _lock(case, expected_version=expected_version)
    case_check_actionable(actor=actor, cases=[origin])
    merged_into = case_merged_into(origin)
    if merged_into is not None:
        raise CaseAlreadyMergedError(
            _("%(case)s was merged into %(target)s: split that case instead.")
            % {"case": origin.reference, "target": merged_into.reference},
            fields={"case": [_("Already merged.")]},
        )
    ids = _messages(origin, interaction_ids)
    new_case = case_open(
        actor=actor,
        customer=origin.customer,
        subject=subject,
        kind=CaseKind.COMPLAINT if origin.kind == CaseKind.DISPUTE else origin.kind,
        priority=origin.priority,
        category=origin.category,
        channel=origin.channel if origin.channel in Channel.values else Channel.EMAIL,
        team=origin.team,
        assignee=origin.assignee,
    )
    Interaction.objects.filter(pk__in=ids, case=origin).update(case=new_case)
    stamp = now()
    merge = CaseMerge.objects.create(
        kind=CaseMergeKind.SPLIT,
        target=new_case,
        origin=origin,
        performed_at=stamp,
        performed_by=actor,
        moved={"rows": {"conversations.interaction": ids}},
    )
    origin = _write(
        origin,
        expected_version=None,
        changes={"last_activity_at": stamp},
        actor=actor,
        is_locked=True,
    )
    timeline_line(
        actor=actor,
        case=origin,
        text=_("%(count)d message(s) moved to the new case %(case)s.")
        % {"count": len(ids), "case": new_case.reference},
        metadata={"split": {"id": merge.pk, "into": new_case.pk}},
    )
    timeline_line(
        actor=actor,
        case=new_case,
        text=_("Split from %(origin)s: %(count)d message(s) moved here.")
        % {"origin": origin.reference, "count": len(ids)},
        metadata={"split": {"id": merge.pk, "from": origin.pk}},
    )
    for audited in (origin, new_case):
        audit_record(
            actor=actor,
            action="case.split",
            instance=audited,
            after={
                "origin": origin.reference,
                "case": new_case.reference,
                "moved": ids,
            },
        )
    event_emit(
        CaseSplit(
            case_id=origin.pk,
            customer_id=origin.customer_id,
            new_case_id=new_case.pk,
            interaction_ids=ids,
            merge_id=merge.pk,
            split_at=stamp,
        ),
        actor=actor,
    )
    return SplitResult(merge=merge, origin=origin, case=new_case)
