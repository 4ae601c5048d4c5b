"""Acting on many cases at once from the inbox (assign, status, priority, add or
remove a tag).

A bulk action is a loop over the existing per-case services (``case_assign``,
``case_change_status``, ``case_update``, ``case_classify``): each case gets exactly
what one case would get (its rules, its audit event, its events, its version bump).

One transaction per case, by design: a case the actor may not change, one whose
lifecycle refuses the move, or one someone else changed meanwhile (optimistic
version) is reported and left as it was, while the others are changed. An
all-or-nothing batch would let one stale row undo an agent's whole triage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.cases.models import Case, CasePriority, CaseStatus
from amiable.cases.selectors.cases import case_visible_queryset
from amiable.cases.services.classification import case_classify, tag_names_clean
from amiable.cases.services.opening import case_assign, case_update
from amiable.cases.services.status import case_change_status
from amiable.core.errors import ApplicationError, ErrorCode, ValidationError

BULK_MAX_CASES = 100


class BulkKind(StrEnum):
    ASSIGN = "assign"
    STATUS = "status"
    PRIORITY = "priority"
    TAG_ADD = "tag_add"
    TAG_REMOVE = "tag_remove"


class BulkOutcomeKind(StrEnum):
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    REFUSED = "refused"


TAG_KINDS = (BulkKind.TAG_ADD, BulkKind.TAG_REMOVE)
# Resolving needs a summary (and for complaints a root cause): one case at a time.
BULK_STATUSES = tuple(
    status for status in CaseStatus.values if status != CaseStatus.RESOLVED
)


@dataclass(frozen=True)
class BulkTarget:
    """A case to act on, with the version the agent saw (None: no check)."""

    case_id: int
    version: int | None = None


@dataclass(frozen=True)
class BulkAction:
    """What to do: assign (``value`` "me", "none" or a user id), status or
    priority (``value`` the new one), add or remove a tag (``value`` its name)."""

    kind: BulkKind
    value: str


@dataclass(frozen=True)
class BulkOutcome:
    case_id: int
    reference: str
    outcome: BulkOutcomeKind
    code: str = ""
    message: str = ""


@dataclass(frozen=True)
class BulkResult:
    outcomes: tuple[BulkOutcome, ...]

    def count(self, outcome: BulkOutcomeKind) -> int:
        return sum(1 for item in self.outcomes if item.outcome == outcome)

    @property
    def refused(self) -> list[BulkOutcome]:
        return [item for item in self.outcomes if item.outcome == "refused"]


def bulk_check(
    *, actor: User, targets: Sequence[BulkTarget], action: BulkAction
) -> User | None:
    """Validate the request as a whole (nothing is written); returns the assignee
    of an assign action. Raises ValidationError for no case, too many cases, the
    same case twice, an unknown status, priority or assignee."""
    if not targets:
        raise ValidationError(
            _("Select at least one case."), fields={"cases": [_("Required.")]}
        )
    if len(targets) > BULK_MAX_CASES:
        raise ValidationError(
            _("At most %(max)d cases at once.") % {"max": BULK_MAX_CASES},
            fields={"cases": [_("Too many cases.")]},
        )
    if len({target.case_id for target in targets}) != len(targets):
        raise ValidationError(
            _("A case is listed twice."), fields={"cases": [_("Duplicate case.")]}
        )
    if action.kind == BulkKind.STATUS and action.value not in BULK_STATUSES:
        raise ValidationError(
            _("This status cannot be set on several cases at once."),
            fields={"status": [_("Choose another status.")]},
        )
    if action.kind == BulkKind.PRIORITY and action.value not in CasePriority.values:
        raise ValidationError(
            _("Unknown priority."), fields={"priority": [_("Unknown.")]}
        )
    if action.kind in TAG_KINDS and not tag_names_clean([action.value], field="tag"):
        raise ValidationError(
            _("Name the tag to add or remove."), fields={"tag": [_("Required.")]}
        )
    if action.kind != BulkKind.ASSIGN or action.value == "none":
        return None
    if action.value == "me":
        return actor
    assignee = (
        User.objects.filter(pk=int(action.value), is_active=True).first()
        if action.value.isdigit()
        else None
    )
    if assignee is None:
        raise ValidationError(
            _("No such user."), fields={"assignee_id": [_("No such user.")]}
        )
    return assignee


def case_bulk_apply(
    *, actor: User, targets: Sequence[BulkTarget], action: BulkAction
) -> BulkResult:
    """Apply ``action`` to each target case the actor sees, each in its own
    transaction through the one-case service (one audit event per changed case).

    A case the actor does not see is refused as not found (nothing said about
    it); a refusal of the service (permission, lifecycle, stale version) is
    reported with its code and message. Raises ValidationError (``bulk_check``)
    before touching any case when the request itself is wrong."""
    assignee = bulk_check(actor=actor, targets=targets, action=action)
    visible = case_visible_queryset(actor=actor).in_bulk(
        [target.case_id for target in targets]
    )
    outcomes = []
    for target in targets:
        case = visible.get(target.case_id)
        if case is None:
            outcomes.append(
                BulkOutcome(
                    case_id=target.case_id,
                    reference="",
                    outcome=BulkOutcomeKind.REFUSED,
                    code=ErrorCode.NOT_FOUND,
                    message=_("No such case."),
                )
            )
            continue
        outcomes.append(_apply_one(actor, case, target.version, action, assignee))
    return BulkResult(outcomes=tuple(outcomes))


def _is_unchanged(case: Case, action: BulkAction, assignee: User | None) -> bool:
    if action.kind in TAG_KINDS:
        has_tag = case.tags.filter(name=tag_names_clean([action.value])[0]).exists()
        return has_tag == (action.kind == BulkKind.TAG_ADD)
    if action.kind == BulkKind.ASSIGN:
        return case.assignee_id == (assignee.pk if assignee else None)
    if action.kind == BulkKind.STATUS:
        return case.status == action.value
    return case.priority == action.value


def _apply_one(
    actor: User,
    case: Case,
    version: int | None,
    action: BulkAction,
    assignee: User | None,
) -> BulkOutcome:
    reference = case.reference
    if _is_unchanged(case, action, assignee) and version in {None, case.version}:
        return BulkOutcome(case.pk, reference, BulkOutcomeKind.UNCHANGED)
    try:
        with transaction.atomic():
            if action.kind == BulkKind.ASSIGN:
                case_assign(
                    actor=actor, case=case, assignee=assignee, expected_version=version
                )
            elif action.kind == BulkKind.STATUS:
                case_change_status(
                    actor=actor,
                    case=case,
                    status=action.value,
                    expected_version=version,
                )
            elif action.kind == BulkKind.PRIORITY:
                case_update(
                    actor=actor,
                    case=case,
                    expected_version=version,
                    priority=action.value,
                )
            else:
                is_add = action.kind == BulkKind.TAG_ADD
                case_classify(
                    actor=actor,
                    case=case,
                    expected_version=version,
                    add_tags=[action.value] if is_add else [],
                    remove_tags=[] if is_add else [action.value],
                )
    except ApplicationError as exc:
        return BulkOutcome(
            case.pk, reference, BulkOutcomeKind.REFUSED, str(exc.code), exc.message
        )
    return BulkOutcome(case.pk, reference, BulkOutcomeKind.CHANGED)
