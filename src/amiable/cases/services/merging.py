"""Merging cases of one customer into one, and undoing it.

A merge closes each source case « merged into C-… », moves its messages (with
their attachments), promises, gestures and costs to the target, adds its orders
to the target's, and keeps a ``CaseMerge`` record of exactly what moved so that
``case_merge_undo`` (within ``settings.CASE_MERGE_UNDO_HOURS``) puts it back.
The target keeps its own SLA clocks; each source's clocks stop with its closing
and resume on undo as they were."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.audit.services import audit_record
from amiable.cases.errors import (
    CaseAlreadyMergedError,
    CaseMergeRefusedError,
    MergeAlreadyUndoneError,
    MergeUndoExpiredError,
)
from amiable.cases.models import (
    Case,
    CaseKind,
    CaseMerge,
    CaseMergeKind,
    CaseMergeSource,
)
from amiable.cases.selectors.cases import case_is_visible
from amiable.cases.services.merge_rows import (
    case_close_merged,
    rows_move,
    timeline_line,
)
from amiable.core.clock import now
from amiable.core.errors import PermissionDeniedError, ValidationError
from amiable.events.catalogue import CaseMerged
from amiable.events.services import event_emit

MERGE_MAX_CASES = 20


@dataclass(frozen=True)
class MergeResult:
    merge: CaseMerge
    target: Case
    sources: tuple[Case, ...]
    moved_counts: dict[str, int]


def undo_deadline(merge: CaseMerge) -> dt.datetime:
    """Until when ``merge`` may be undone."""
    return merge.performed_at + dt.timedelta(hours=settings.CASE_MERGE_UNDO_HOURS)


def case_check_actionable(*, actor: User, cases: Sequence[Case]) -> None:
    """Raise PermissionDeniedError unless the actor may act on every case (their
    team's, unteamed, assigned to them; every team for quality and admins)."""
    refused = [
        case.reference for case in cases if not case_is_visible(actor=actor, case=case)
    ]
    if refused:
        raise PermissionDeniedError(
            _("You may not act on %(cases)s: another team handles them.")
            % {"cases": ", ".join(refused)},
            fields={"cases": [_("Another team's case.")]},
        )


def merge_check(*, actor: User, target: Case, sources: Sequence[Case]) -> None:
    """The rules of a merge, checked on the cases as stored (nothing written).
    Raises ValidationError (no source, too many, twice), CaseMergeRefusedError (the
    target among the sources, another customer, a dispute), PermissionDeniedError
    (another team's case) or CaseAlreadyMergedError."""
    if not sources:
        raise ValidationError(
            _("Choose at least one case to merge into the target."),
            fields={"case_ids": [_("Required.")]},
        )
    if len(sources) > MERGE_MAX_CASES:
        raise ValidationError(
            _("At most %(max)d cases at once.") % {"max": MERGE_MAX_CASES},
            fields={"case_ids": [_("Too many cases.")]},
        )
    if len({source.pk for source in sources}) != len(sources):
        raise ValidationError(
            _("A case is listed twice."), fields={"case_ids": [_("Duplicate case.")]}
        )
    if any(source.pk == target.pk for source in sources):
        raise CaseMergeRefusedError(
            _("A case cannot be merged into itself."),
            fields={"target": [_("Choose a target that is not merged.")]},
        )
    case_check_actionable(actor=actor, cases=[target, *sources])
    others = [s.reference for s in sources if s.customer_id != target.customer_id]
    if others:
        raise CaseMergeRefusedError(
            _(
                "Only cases of the same customer can be merged: %(cases)s belong to "
                "another customer."
            )
            % {"cases": ", ".join(others)},
            fields={"case_ids": [_("Another customer's case.")]},
        )
    disputes = [s.reference for s in sources if s.kind == CaseKind.DISPUTE]
    if disputes:
        raise CaseMergeRefusedError(
            _(
                "A dispute cannot be merged into another case (%(cases)s); merge the "
                "other cases into it."
            )
            % {"cases": ", ".join(disputes)},
            fields={"case_ids": [_("A dispute.")]},
        )
    merged = CaseMergeSource.objects.filter(
        case_id__in=[target.pk, *(s.pk for s in sources)], is_active=True
    ).select_related("case", "merge__target")
    for row in merged:
        raise CaseAlreadyMergedError(
            _("%(case)s was already merged into %(target)s.")
            % {"case": row.case.reference, "target": row.merge.target.reference},
            fields={"case_ids": [_("Already merged.")]},
            extra={"case_id": row.case_id, "target_id": row.merge.target_id},
        )


@transaction.atomic
def case_merge(*, actor: User, target: Case, sources: Sequence[Case]) -> MergeResult:
    """Merge ``sources`` into ``target``: each source is closed with a « merged
    into » line, its linked rows move to the target, the target gets one line
    naming them; one audit event per case, one ``case.merged`` event.

    Raises what ``merge_check`` raises, checked again under the row locks so two
    agents merging the same case at once get one merge and one
    CaseAlreadyMergedError."""
    ids = sorted({target.pk, *(source.pk for source in sources)})
    locked = Case.objects.select_for_update().select_related("customer").in_bulk(ids)
    target = locked[target.pk]
    ordered = [locked[source.pk] for source in sources]
    merge_check(actor=actor, target=target, sources=ordered)
    stamp = now()
    merge = CaseMerge.objects.create(
        kind=CaseMergeKind.MERGE, target=target, performed_at=stamp, performed_by=actor
    )
    try:
        with transaction.atomic():
            CaseMergeSource.objects.bulk_create(
                CaseMergeSource(merge=merge, case=source) for source in ordered
            )
    except IntegrityError as exc:  # merged by someone else in between
        raise CaseAlreadyMergedError(
            _("One of these cases was merged by someone else meanwhile."),
            fields={"case_ids": [_("Already merged.")]},
        ) from exc
    record: dict[str, dict[str, object]] = {}
    counts: dict[str, int] = {}
    existing_orders = set(target.orders.values_list("pk", flat=True))
    for source in ordered:
        moved = rows_move(source_id=source.pk, target_id=target.pk)
        orders = [
            pk
            for pk in source.orders.values_list("pk", flat=True)
            if pk not in existing_orders
        ]
        target.orders.add(*orders)
        existing_orders.update(orders)
        state = case_close_merged(actor=actor, case=source)
        record[str(source.pk)] = {"rows": moved, "orders": orders, "state": state}
        for label, row_ids in moved.items():
            counts[label] = counts.get(label, 0) + len(row_ids)
        timeline_line(
            actor=actor,
            case=source,
            text=_("Merged into %(target)s.") % {"target": target.reference},
            metadata={"merge": {"id": merge.pk, "into": target.pk}},
        )
        audit_record(
            actor=actor,
            action="case.merge_into",
            instance=source,
            after={"target": target.reference, "merge": merge.pk, "moved": moved},
        )
    merge.moved = {"sources": record}
    merge.save(update_fields=["moved"])
    references = ", ".join(source.reference for source in ordered)
    timeline_line(
        actor=actor,
        case=target,
        text=_("%(cases)s merged into this case.") % {"cases": references},
        metadata={"merge": {"id": merge.pk, "from": [s.pk for s in ordered]}},
    )
    audit_record(
        actor=actor,
        action="case.merge",
        instance=target,
        after={"merged": [s.reference for s in ordered], "moved": counts},
    )
    event_emit(
        CaseMerged(
            case_id=target.pk,
            customer_id=target.customer_id,
            merged_case_ids=[source.pk for source in ordered],
            merge_id=merge.pk,
            merged_at=stamp,
        ),
        actor=actor,
    )
    return MergeResult(
        merge=merge, target=target, sources=tuple(ordered), moved_counts=counts
    )


def undo_check(*, actor: User, merge: CaseMerge) -> None:
    """Raise MergeAlreadyUndoneError or MergeUndoExpiredError when ``merge`` can
    no longer be undone."""
    if merge.undone_at is not None:
        raise MergeAlreadyUndoneError(
            _("This was already undone."), fields={"merge": [_("Already undone.")]}
        )
    if now() > undo_deadline(merge):
        raise MergeUndoExpiredError(
            _("It is too late to undo this: it can be undone for %(hours)d hours.")
            % {"hours": settings.CASE_MERGE_UNDO_HOURS},
            fields={"merge": [_("Too late.")]},
        )
