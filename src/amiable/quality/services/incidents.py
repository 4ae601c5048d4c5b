"""Incidents: one event, many cases. Declaring one, linking its cases, replying to
all of them and resolving all of them.

Replying to or resolving every case runs in the background
(``incident_bulk_run_task``), one case per transaction, at most once per case (a
result row per case and action, inserted before the work): a retried or concurrent
run never replies twice. It acts on the linked cases the requester may see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.audit.services import audit_record, snapshot
from amiable.cases.models import Case, CaseStatus, RootCause
from amiable.cases.selectors import case_visible_queryset
from amiable.cases.services import case_reply
from amiable.core.clock import now
from amiable.core.errors import (
    ApplicationError,
    ConflictError,
    PermissionDeniedError,
    ValidationError,
)
from amiable.quality.errors import QualityVersionConflictError
from amiable.quality.models import (
    BulkKind,
    BulkOutcome,
    BulkStatus,
    Incident,
    IncidentBulkAction,
    IncidentBulkResult,
    IncidentCase,
    IncidentKind,
    IncidentStatus,
)
from amiable.quality.permissions import can_manage_incidents
from amiable.quality.services.case_resolution import case_resolve_with

INCIDENT_FIELDS = ["title", "description", "kind", "status", "owner", "version"]
MAX_BODY = 50_000
MAX_LINKS_PER_CALL = 1000
BATCH = 200


def _require_manager(actor: User) -> None:
    if not can_manage_incidents(actor):
        raise PermissionDeniedError(_("Incidents are managed by supervisors."))


def _validate(title: str, kind: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Required.")]
    if kind not in IncidentKind.values:
        errors["kind"] = [_("Unknown kind.")]
    return errors


@transaction.atomic
def incident_create(
    *,
    actor: User,
    title: str,
    kind: str = IncidentKind.OTHER,
    description: str = "",
    started_at: dt.datetime | None = None,
    owner: User | None = None,
) -> Incident:
    """Declare an incident. Raises PermissionDeniedError, ValidationError."""
    _require_manager(actor)
    errors = _validate(title, kind)
    if started_at is not None and started_at > now() + dt.timedelta(minutes=5):
        errors["started_at"] = [_("This date is in the future.")]
    if errors:
        raise ValidationError(_("The incident cannot be saved."), fields=errors)
    incident = Incident.objects.create(
        title=title.strip()[:200],
        description=description.strip(),
        kind=kind,
        started_at=started_at or now(),
        owner=owner or actor,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="incident.create",
        instance=incident,
        after=snapshot(incident, INCIDENT_FIELDS),
    )
    return incident


def _locked(incident: Incident, expected_version: int | None) -> Incident:
    locked = Incident.objects.select_for_update(of=("self",)).get(pk=incident.pk)
    if expected_version is not None and locked.version != expected_version:
        raise QualityVersionConflictError(
            _("Someone else changed this incident meanwhile. Reload it and try again."),
            extra={"current_version": locked.version},
        )
    return locked


@transaction.atomic
def incident_update(
    *, actor: User, incident: Incident, expected_version: int | None, **changes: Any
) -> Incident:
    """Edit the title, description, kind or owner."""
    _require_manager(actor)
    allowed = {"title", "description", "kind", "owner"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here."),
            fields={
                name: [_("Unknown or read-only field.")] for name in sorted(unknown)
            },
        )
    incident = _locked(incident, expected_version)
    errors = _validate(
        str(changes.get("title", incident.title)), changes.get("kind", incident.kind)
    )
    if errors:
        raise ValidationError(_("The incident cannot be saved."), fields=errors)
    before = snapshot(incident, INCIDENT_FIELDS)
    for name, value in changes.items():
        setattr(incident, name, value.strip() if isinstance(value, str) else value)
    incident.version += 1
    incident.save()
    audit_record(
        actor=actor,
        action="incident.update",
        instance=incident,
        before=before,
        after=snapshot(incident, INCIDENT_FIELDS),
    )
    return incident


@transaction.atomic
def incident_link_cases(
    *, actor: User, incident: Incident, cases: Iterable[Case]
) -> list[IncidentCase]:
    """Link cases the actor sees to the incident (agents may link their own cases).
    Already linked here: nothing changes. Raises ConflictError, listing the cases
    already in another incident (nothing is linked then)."""
    wanted = list(cases)[: MAX_LINKS_PER_CALL + 1]
    if len(wanted) > MAX_LINKS_PER_CALL:
        raise ValidationError(
            _("Link at most %(count)d cases at a time.")
            % {"count": MAX_LINKS_PER_CALL},
            fields={"case_ids": [_("Too many cases.")]},
        )
    visible = set(
        case_visible_queryset(actor=actor)
        .filter(pk__in=[case.pk for case in wanted])
        .values_list("pk", flat=True)
    )
    if len(visible) != len({case.pk for case in wanted}):
        raise PermissionDeniedError(_("You cannot link cases you do not see."))
    taken = IncidentCase.objects.filter(case__in=wanted).select_related("case")
    elsewhere = [
        link.case.reference for link in taken if link.incident_id != incident.pk
    ]
    if elsewhere:
        raise ConflictError(
            _("These cases are already part of another incident."),
            fields={"case_ids": [", ".join(sorted(elsewhere))]},
        )
    already = {link.case_id for link in taken}
    stamp = now()
    created = []
    for case in wanted:
        if case.pk in already:
            continue
        try:
            with transaction.atomic():
                created.append(
                    IncidentCase.objects.create(
                        incident=incident, case=case, linked_by=actor, linked_at=stamp
                    )
                )
        except IntegrityError:
            raise ConflictError(
                _("These cases are already part of another incident."),
                fields={"case_ids": [case.reference]},
            ) from None
    if created:
        audit_record(
            actor=actor,
            action="incident.link_cases",
            instance=incident,
            after={"cases": [link.case_id for link in created]},
        )
    return created


@transaction.atomic
def incident_unlink_case(*, actor: User, incident: Incident, case: Case) -> bool:
    """Remove a case from the incident; returns whether it was linked."""
    _require_manager(actor)
    deleted, _rows = IncidentCase.objects.filter(incident=incident, case=case).delete()
    if deleted:
        audit_record(
            actor=actor,
            action="incident.unlink_case",
            instance=incident,
            after={"case": case.pk},
        )
    return bool(deleted)


def _enqueue(action: IncidentBulkAction) -> None:
    from amiable.quality.tasks import incident_bulk_run_task

    action_id = action.pk
    transaction.on_commit(lambda: incident_bulk_run_task.enqueue(action_id=action_id))


@transaction.atomic
def incident_reply_all(
    *,
    actor: User,
    incident: Incident,
    body_fr: str,
    body_en: str = "",
    is_waiting_for_customer: bool = False,
) -> IncidentBulkAction:
    """Reply to every linked case, each customer in their language (English falls
    back to French when no English text is given). ``{name}`` and ``{reference}``
    are replaced by the customer's name and the case reference. Runs after commit.
    Raises PermissionDeniedError, ValidationError."""
    _require_manager(actor)
    body_fr, body_en = body_fr.strip(), body_en.strip()
    errors: dict[str, list[str]] = {}
    if not body_fr and not body_en:
        errors["body_fr"] = [_("Write the message.")]
    for name, body in (("body_fr", body_fr), ("body_en", body_en)):
        if len(body) > MAX_BODY:
            errors[name] = [_("The message is too long.")]
    if errors:
        raise ValidationError(_("The reply cannot be sent."), fields=errors)
    action = IncidentBulkAction.objects.create(
        incident=incident,
        kind=BulkKind.REPLY,
        body_fr=body_fr,
        body_en=body_en,
        is_waiting_for_customer=is_waiting_for_customer,
        requested_by=actor,
    )
    audit_record(
        actor=actor,
        action="incident.reply_all",
        instance=incident,
        after={"bulk_action": action.pk},
    )
    _enqueue(action)
    return action


@transaction.atomic
def incident_resolve_all(
    *,
    actor: User,
    incident: Incident,
    summary: str,
    root_cause: RootCause,
    expected_version: int | None = None,
) -> IncidentBulkAction:
    """Resolve the incident, then every linked case still open with the same
    summary and root cause (after commit, one case at a time). Raises
    PermissionDeniedError, ValidationError, QualityVersionConflictError."""
    _require_manager(actor)
    summary = summary.strip()
    if not summary:
        raise ValidationError(
            _("Say how it was resolved."), fields={"summary": [_("Required.")]}
        )
    if not root_cause.is_active:
        raise ValidationError(
            _("This root cause is no longer used."),
            fields={"root_cause": [_("Inactive root cause.")]},
        )
    incident = _locked(incident, expected_version)
    before = snapshot(incident, INCIDENT_FIELDS)
    incident.status = IncidentStatus.RESOLVED
    incident.resolved_at = incident.resolved_at or now()
    incident.resolution_summary = summary
    incident.root_cause = root_cause
    incident.version += 1
    incident.save()
    action = IncidentBulkAction.objects.create(
        incident=incident,
        kind=BulkKind.RESOLVE,
        summary=summary,
        root_cause=root_cause,
        requested_by=actor,
    )
    audit_record(
        actor=actor,
        action="incident.resolve_all",
        instance=incident,
        before=before,
        after=snapshot(incident, INCIDENT_FIELDS) | {"bulk_action": action.pk},
    )
    _enqueue(action)
    return action


def _personalised(action: IncidentBulkAction, case: Case) -> str:
    english = (case.customer.preferred_language or "fr").startswith("en")
    body = (
        (action.body_en if english else action.body_fr)
        or action.body_fr
        or action.body_en
    )
    return body.replace("{name}", case.customer.name).replace(
        "{reference}", case.reference
    )


def _perform(action: IncidentBulkAction, case: Case) -> tuple[str, str]:
    if action.kind == BulkKind.REPLY:
        if case.status == CaseStatus.CLOSED:
            return BulkOutcome.SKIPPED, _("Closed case.")
        case_reply(
            actor=action.requested_by,
            case=case,
            body_text=_personalised(action, case),
            status=CaseStatus.WAITING_CUSTOMER
            if action.is_waiting_for_customer
            else None,
        )
        return BulkOutcome.DONE, ""
    if case.status in {CaseStatus.RESOLVED, CaseStatus.CLOSED}:
        return BulkOutcome.SKIPPED, _("Already resolved.")
    case_resolve_with(
        actor=action.requested_by,
        case=case,
        summary=action.summary,
        root_cause=action.root_cause,
    )
    return BulkOutcome.DONE, ""


def _one(action: IncidentBulkAction, case: Case) -> str | None:
    """Process one case in its own transaction; None when another run did it."""
    try:
        with transaction.atomic():
            result = IncidentBulkResult.objects.create(
                action=action,
                case=case,
                outcome=BulkOutcome.DONE,
                processed_at=now(),
            )
            try:
                with transaction.atomic():
                    outcome, detail = _perform(action, case)
            except ApplicationError as exc:
                outcome, detail = BulkOutcome.FAILED, exc.message
            if outcome != BulkOutcome.DONE:
                result.outcome = outcome
                result.detail = str(detail)[:255]
                result.save(update_fields=["outcome", "detail"])
            return str(outcome)
    except IntegrityError:
        return None


def incident_bulk_run(*, action_id: int) -> IncidentBulkAction:
    """Run (or finish) a bulk action; idempotent: cases already processed are left
    alone, so a retry after a crash goes on where it stopped."""
    action = IncidentBulkAction.objects.select_related(
        "incident", "requested_by", "root_cause"
    ).get(pk=action_id)
    if action.status == BulkStatus.DONE:
        return action
    IncidentBulkAction.objects.filter(pk=action.pk).update(
        status=BulkStatus.RUNNING, updated_at=now()
    )
    done = set(action.results.values_list("case_id", flat=True))
    scope = case_visible_queryset(actor=action.requested_by).filter(
        incident_link__incident=action.incident
    )
    # Ids first: each case is then written in its own transaction, never while a
    # cursor over the same table is still open.
    ids = [
        pk for pk in scope.order_by("id").values_list("pk", flat=True) if pk not in done
    ]
    for start in range(0, len(ids), BATCH):
        batch = Case.objects.filter(pk__in=ids[start : start + BATCH])
        for case in batch.select_related("customer").order_by("id"):
            _one(action, case)
    counts = {
        row["outcome"]: row["total"]
        for row in action.results.order_by()
        .values("outcome")
        .annotate(total=Count("id"))
    }
    IncidentBulkAction.objects.filter(pk=action.pk).update(
        status=BulkStatus.DONE,
        done_count=counts.get(BulkOutcome.DONE, 0),
        skipped_count=counts.get(BulkOutcome.SKIPPED, 0),
        failed_count=counts.get(BulkOutcome.FAILED, 0),
        finished_at=now(),
        updated_at=now(),
    )
    action.refresh_from_db()
    return action
