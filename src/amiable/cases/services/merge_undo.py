"""Undoing a merge or a split of cases: what moved goes back, exactly."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.audit.services import audit_record
from amiable.cases.errors import CaseMergeRefusedError
from amiable.cases.models import (
    Case,
    CaseMerge,
    CaseMergeKind,
    CaseMergeSource,
    CaseStatus,
)
from amiable.cases.selectors.merging import case_merged_into
from amiable.cases.services.merge_rows import (
    case_close_merged,
    case_restore_unmerged,
    rows_move_back,
    timeline_line,
)
from amiable.cases.services.merging import (
    case_check_actionable,
    undo_check,
)
from amiable.conversations.models import Channel, Interaction
from amiable.core.clock import now
from amiable.events.catalogue import CaseMergeUndone
from amiable.events.services import event_emit


@transaction.atomic
def case_merge_undo(*, actor: User, merge: CaseMerge) -> CaseMerge:
    """Undo a merge (the sources reopen as they were, their rows come back from
    the target, the orders they added leave it) or a split (the messages go back
    to the split case, the new case is closed). One audit event per case, one
    ``case.merge_undone`` event.

    Raises MergeAlreadyUndoneError, MergeUndoExpiredError, PermissionDeniedError
    (another team's case), CaseMergeRefusedError (the target was itself merged
    since, a merged case was reopened since, or the new case of a split
    received new messages)."""
    merge = CaseMerge.objects.select_for_update().get(pk=merge.pk)
    undo_check(actor=actor, merge=merge)
    target = (
        Case.objects.select_for_update()
        .select_related("customer")
        .get(pk=merge.target_id)
    )
    if case_merged_into(target) is not None:
        raise CaseMergeRefusedError(
            _("%(case)s was merged into another case since: undo that first.")
            % {"case": target.reference},
            fields={"merge": [_("Merged since.")]},
        )
    if merge.kind == CaseMergeKind.SPLIT:
        case_ids = _undo_split(actor, merge, target)
    else:
        case_ids = _undo_merge(actor, merge, target)
    stamp = now()
    merge.undone_at = stamp
    merge.undone_by = actor
    merge.save(update_fields=["undone_at", "undone_by"])
    event_emit(
        CaseMergeUndone(
            case_id=target.pk,
            customer_id=target.customer_id,
            kind=merge.kind,
            case_ids=case_ids,
            merge_id=merge.pk,
            undone_at=stamp,
        ),
        actor=actor,
    )
    return merge


def _undo_merge(actor: User, merge: CaseMerge, target: Case) -> list[int]:
    record = merge.moved.get("sources", {})
    sources = (
        Case.objects.select_for_update()
        .select_related("customer")
        .in_bulk([int(pk) for pk in record])
    )
    case_check_actionable(actor=actor, cases=[target, *sources.values()])
    reopened = [c.reference for c in sources.values() if c.status != CaseStatus.CLOSED]
    if reopened:  # its state since would be overwritten by the one before
        raise CaseMergeRefusedError(
            _("%(cases)s changed status since the merge: the merge cannot be undone.")
            % {"cases": ", ".join(reopened)},
            fields={"merge": [_("Reopened since.")]},
        )
    for source_id, moved in record.items():
        source = sources[int(source_id)]
        counts = rows_move_back(moved=moved["rows"], from_id=target.pk, to_id=source.pk)
        if moved["orders"]:
            target.orders.remove(*moved["orders"])
        case_restore_unmerged(actor=actor, case=source, state=moved["state"])
        timeline_line(
            actor=actor,
            case=source,
            text=_("Merge into %(target)s undone.") % {"target": target.reference},
            metadata={"merge_undone": {"id": merge.pk}},
        )
        audit_record(
            actor=actor,
            action="case.merge_undo",
            instance=source,
            after={"target": target.reference, "merge": merge.pk, "back": counts},
        )
    CaseMergeSource.objects.filter(merge=merge).update(is_active=False)
    references = ", ".join(case.reference for case in sources.values())
    timeline_line(
        actor=actor,
        case=target,
        text=_("Merge of %(cases)s undone.") % {"cases": references},
        metadata={"merge_undone": {"id": merge.pk}},
    )
    audit_record(
        actor=actor,
        action="case.merge_undo",
        instance=target,
        after={
            "merge": merge.pk,
            "cases": [case.reference for case in sources.values()],
        },
    )
    return [target.pk, *sources]


def _undo_split(actor: User, merge: CaseMerge, new_case: Case) -> list[int]:
    origin = (
        Case.objects.select_for_update()
        .select_related("customer")
        .get(pk=int(merge.origin_id or 0))
    )
    case_check_actionable(actor=actor, cases=[origin, new_case])
    moved_ids = set(merge.moved.get("rows", {}).get("conversations.interaction", []))
    arrived = (
        Interaction.objects.filter(case=new_case)
        .exclude(channel=Channel.SYSTEM)
        .exclude(pk__in=moved_ids)
        .exists()
    )
    if arrived:
        raise CaseMergeRefusedError(
            _(
                "New messages arrived on %(case)s since the split: merge it into "
                "%(origin)s instead."
            )
            % {"case": new_case.reference, "origin": origin.reference},
            fields={"merge": [_("New messages since.")]},
        )
    counts = rows_move_back(
        moved=merge.moved.get("rows", {}), from_id=new_case.pk, to_id=origin.pk
    )
    case_close_merged(actor=actor, case=new_case)
    timeline_line(
        actor=actor,
        case=new_case,
        text=_("Split undone: the messages went back to %(origin)s.")
        % {"origin": origin.reference},
        metadata={"merge_undone": {"id": merge.pk}},
    )
    timeline_line(
        actor=actor,
        case=origin,
        text=_("Split into %(case)s undone: its messages are back.")
        % {"case": new_case.reference},
        metadata={"merge_undone": {"id": merge.pk}},
    )
    for case in (origin, new_case):
        audit_record(
            actor=actor,
            action="case.split_undo",
            instance=case,
            after={"merge": merge.pk, "back": counts},
        )
    return [origin.pk, new_case.pk]
