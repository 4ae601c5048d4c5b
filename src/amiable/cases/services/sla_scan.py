"""The periodic SLA scan: flags clocks at risk and breached, tells the assignee and
the team's supervisors, and escalates a breached case to its supervisor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from amiable.cases.models import (
    Case,
    EscalationLevel,
    EscalationSource,
    SlaClock,
    SlaClockState,
    SlaMetric,
)
from amiable.cases.services.escalation import case_escalate
from amiable.cases.services.notify import case_notify, case_supervisors
from amiable.cases.services.sla_clocks import sla_summarise
from amiable.cases.services.versioning import _lock
from amiable.core.clock import now

SCAN_BATCH = 200


@dataclass(frozen=True)
class SlaScanResult:
    at_risk: int
    breached: int


def sla_scan(*, at: dt.datetime | None = None) -> SlaScanResult:
    """Flag every running clock past its at-risk or due time; idempotent (a flagged
    clock is not flagged again, notifications are deduplicated per clock)."""
    moment = at or now()
    breached = _each(
        SlaClock.objects.filter(
            state=SlaClockState.RUNNING, breached_at__isnull=True, due_at__lte=moment
        ),
        lambda pk: _breach(pk, moment),
    )
    at_risk = _each(
        SlaClock.objects.filter(
            state=SlaClockState.RUNNING,
            at_risk_at__isnull=True,
            breached_at__isnull=True,
            risk_at__lte=moment,
        ),
        lambda pk: _flag_at_risk(pk, moment),
    )
    return SlaScanResult(at_risk=at_risk, breached=breached)


def _each(queryset: QuerySet[SlaClock], run: Callable[[int], int]) -> int:
    """Run ``run`` on every clock of ``queryset``, by batches of ids (each run in
    its own transaction, so one failing case does not undo the others)."""
    done = 0
    last = 0
    while True:
        ids = list(
            queryset.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:SCAN_BATCH]
        )
        for pk in ids:
            done += run(pk)
        if len(ids) < SCAN_BATCH:
            return done
        last = ids[-1]


def _metric_label(clock: SlaClock) -> str:
    return str(SlaMetric(clock.metric).label).lower()


def _locked_clock(pk: int) -> tuple[Case, SlaClock] | None:
    clock = SlaClock.objects.filter(pk=pk).select_related("case").first()
    if clock is None:
        return None
    case = _lock(clock.case)
    clock.refresh_from_db()
    return case, clock


def _due_text(clock: SlaClock) -> str:
    assert clock.due_at is not None  # noqa: S101 - running clocks have one
    return formats.date_format(
        timezone.localtime(clock.due_at), "SHORT_DATETIME_FORMAT"
    )


@transaction.atomic
def _breach(pk: int, moment: dt.datetime) -> int:
    locked = _locked_clock(pk)
    if locked is None:
        return 0
    case, clock = locked
    if not (
        clock.state == SlaClockState.RUNNING
        and clock.breached_at is None
        and clock.due_at is not None
        and clock.due_at <= moment
    ):
        return 0
    SlaClock.objects.filter(pk=clock.pk).update(breached_at=clock.due_at)
    clock.breached_at = clock.due_at
    live = list(case.sla_clocks.exclude(state=SlaClockState.STOPPED))
    sla_summarise(case=case, clocks=live)
    reference = case.reference
    case_notify(
        case=case,
        recipients=[case.assignee, *case_supervisors(case)],
        kind="sla.breached",
        title=lambda: (
            _("%(reference)s: %(metric)s target missed (due %(due)s)")
            % {
                "reference": reference,
                "metric": _metric_label(clock),
                "due": _due_text(clock),
            }
        ),
        dedupe_key=f"sla.breached:{clock.pk}",
    )
    if case.is_open and case.escalation_level < EscalationLevel.SUPERVISOR:
        case_escalate(
            actor=None,
            case=case,
            level=EscalationLevel.SUPERVISOR,
            reason=_("SLA breached: %(metric)s was due %(due)s.")
            % {"metric": _metric_label(clock), "due": _due_text(clock)},
            source=EscalationSource.SLA_BREACH,
        )
    return 1


@transaction.atomic
def _flag_at_risk(pk: int, moment: dt.datetime) -> int:
    locked = _locked_clock(pk)
    if locked is None:
        return 0
    case, clock = locked
    if not (
        clock.state == SlaClockState.RUNNING
        and clock.at_risk_at is None
        and clock.breached_at is None
        and clock.risk_at is not None
        and clock.risk_at <= moment
    ):
        return 0
    SlaClock.objects.filter(pk=clock.pk).update(at_risk_at=moment)
    live = list(case.sla_clocks.exclude(state=SlaClockState.STOPPED))
    sla_summarise(case=case, clocks=live)
    reference = case.reference
    case_notify(
        case=case,
        recipients=[case.assignee, *case_supervisors(case)],
        kind="sla.at_risk",
        title=lambda: (
            _("%(reference)s: %(metric)s due %(due)s, at risk")
            % {
                "reference": reference,
                "metric": _metric_label(clock),
                "due": _due_text(clock),
            }
        ),
        dedupe_key=f"sla.at_risk:{clock.pk}",
    )
    return 1
