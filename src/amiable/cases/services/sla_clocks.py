"""A case's SLA clocks: started when it opens, paused while it waits, resumed,
stopped by a response or a resolution, restarted by a customer's message.

Every function here runs inside the calling service's transaction, on a case the
caller has locked. Clock and summary fields are system-maintained: writing them does
not bump ``Case.version`` (an agent's open form must not go stale because a clock
moved). Due times are computed on the calendar version the clocks started with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from amiable.cases.lifecycle import is_reopen
from amiable.cases.models import (
    Case,
    CaseStatus,
    SlaClock,
    SlaClockState,
    SlaMetric,
    SlaPause,
    SlaPauseReason,
    SlaPolicy,
    SlaState,
)
from amiable.core.config_cache import ConfigCache
from amiable.sla.business_hours import (
    Calendar,
    business_time_between_with_pauses,
    due_with_pauses,
)
from amiable.sla.selectors import calendar_of, calendar_version_for_team

Span = tuple[dt.datetime, dt.datetime]
DONE = {CaseStatus.RESOLVED, CaseStatus.CLOSED}


ACTIVE_POLICIES: ConfigCache[list[SlaPolicy]] = ConfigCache(
    "sla-policies",
    lambda: list(SlaPolicy.objects.filter(is_active=True)),
    models=(SlaPolicy,),
)


def sla_policy_match(*, case: Case) -> SlaPolicy | None:
    """The first active policy (by position) whose conditions the case meets (the
    active policies are read at most every 30 seconds per process)."""
    values = {
        "kind": case.kind,
        "priority": case.priority,
        "channel": case.channel,
        "customer_tier": case.customer.tier,
    }
    for policy in ACTIVE_POLICIES.get():
        if all(getattr(policy, name) in {"", value} for name, value in values.items()):
            return policy
    return None


def _pause_reason(status: str, policy: SlaPolicy | None) -> str | None:
    if status == CaseStatus.WAITING_CUSTOMER:
        return SlaPauseReason.WAITING_CUSTOMER
    if status == CaseStatus.WAITING_THIRD_PARTY and (
        policy is not None and policy.pauses_on_third_party
    ):
        return SlaPauseReason.WAITING_THIRD_PARTY
    if status in DONE:
        return SlaPauseReason.RESOLVED
    return None


def _calendar(case: Case) -> Calendar:
    assert case.sla_calendar is not None  # noqa: S101 - callers check sla_calendar_id
    return calendar_of(case.sla_calendar)


def _pauses(case: Case, until: dt.datetime) -> tuple[list[Span], bool]:
    """The case's pauses, a running one ending at ``until``; and whether one runs."""
    spans: list[Span] = []
    running = False
    for started_at, ended_at in SlaPause.objects.filter(case=case).values_list(
        "started_at", "ended_at"
    ):
        running = running or ended_at is None
        spans.append((started_at, ended_at or max(until, started_at)))
    return spans, running


def _target(clock: SlaClock, share: int = 100) -> dt.timedelta:
    return dt.timedelta(seconds=clock.target_seconds * share // 100)


def _live(case: Case) -> list[SlaClock]:
    return list(SlaClock.objects.filter(case=case).exclude(state=SlaClockState.STOPPED))


def _save(clock: SlaClock, **values: object) -> None:
    changed = {k: v for k, v in values.items() if getattr(clock, k) != v}
    if changed:
        SlaClock.objects.filter(pk=clock.pk).update(**changed)
        for name, value in changed.items():
            setattr(clock, name, value)


def sla_start(*, case: Case) -> None:
    """Start the clocks of the first matching policy on the team's calendar (the
    default calendar for a team without one). Nothing when no policy or calendar."""
    policy = sla_policy_match(case=case)
    if policy is None:
        return
    version = calendar_version_for_team(team_id=case.team_id)
    if version is None:
        return
    targets = [
        (SlaMetric.FIRST_RESPONSE, policy.first_response_minutes),
        (SlaMetric.RESOLUTION, policy.resolution_minutes),
    ]
    SlaClock.objects.bulk_create(
        SlaClock(
            case=case,
            metric=metric,
            started_at=case.opened_at,
            target_seconds=minutes * 60,
            at_risk_percent=policy.at_risk_percent,
        )
        for metric, minutes in targets
        if minutes
    )
    Case.objects.filter(pk=case.pk).update(sla_policy=policy, sla_calendar=version)
    case.sla_policy, case.sla_calendar = policy, version
    sla_refresh(case=case, at=case.opened_at)


def sla_refresh(*, case: Case, at: dt.datetime) -> None:
    """Recompute the due and at-risk times of the live clocks, and the case's
    summary (``sla_state``, ``sla_due_at``)."""
    if case.sla_calendar_id is None:
        return
    clocks = _live(case)
    if clocks:
        calendar = _calendar(case)
        spans, paused = _pauses(case, at)
        for clock in clocks:
            if paused:
                _save(clock, state=SlaClockState.PAUSED, due_at=None, risk_at=None)
                continue
            relevant = [span for span in spans if span[1] > clock.started_at]
            _save(
                clock,
                state=SlaClockState.RUNNING,
                due_at=due_with_pauses(
                    calendar, clock.started_at, _target(clock), relevant
                ),
                risk_at=due_with_pauses(
                    calendar,
                    clock.started_at,
                    _target(clock, clock.at_risk_percent),
                    relevant,
                ),
            )
    sla_summarise(case=case, clocks=clocks)


def sla_summarise(*, case: Case, clocks: Sequence[SlaClock]) -> None:
    """Store the worst state of the live ``clocks`` and their earliest due time."""
    running_due = [c.due_at for c in clocks if c.due_at is not None]
    if not clocks:
        state = SlaState.NONE
    elif any(clock.breached_at is not None for clock in clocks):
        state = SlaState.BREACHED
    elif any(clock.at_risk_at is not None for clock in clocks):
        state = SlaState.AT_RISK
    elif all(clock.state == SlaClockState.PAUSED for clock in clocks):
        state = SlaState.PAUSED
    else:
        state = SlaState.ON_TRACK
    due = min(running_due) if running_due else None
    if (case.sla_state, case.sla_due_at) != (state, due):
        Case.objects.filter(pk=case.pk).update(sla_state=state, sla_due_at=due)
        case.sla_state, case.sla_due_at = state, due


def _stop(clocks: Sequence[SlaClock], case: Case, at: dt.datetime) -> None:
    """Stop ``clocks`` at ``at``: business time used, and the breach if it was
    late (at the instant the target was reached)."""
    if not clocks:
        return
    calendar = _calendar(case)
    spans, _running = _pauses(case, at)
    for clock in clocks:
        end = max(at, clock.started_at)
        elapsed = business_time_between_with_pauses(
            calendar, clock.started_at, end, spans
        )
        breached_at = clock.breached_at
        if breached_at is None and elapsed > _target(clock):
            breached_at = due_with_pauses(
                calendar, clock.started_at, _target(clock), spans
            )
        _save(
            clock,
            state=SlaClockState.STOPPED,
            stopped_at=at,
            elapsed_seconds=int(elapsed.total_seconds()),
            breached_at=breached_at,
        )


def sla_on_status_change(
    *, case: Case, previous: str, status: str, at: dt.datetime
) -> None:
    """Pause or resume on waiting statuses; stop every clock on resolution; resume
    the resolution clock on a reopen (the resolved span counts as a pause)."""
    if case.sla_calendar_id is None:
        return
    policy = case.sla_policy
    old_reason, new_reason = (
        _pause_reason(previous, policy),
        _pause_reason(status, policy),
    )
    if status in DONE and previous not in DONE:
        _stop(_live(case), case, at)
    if old_reason != new_reason:
        if old_reason is not None:
            SlaPause.objects.filter(case=case, ended_at__isnull=True).update(
                ended_at=at
            )
        if new_reason is not None:
            SlaPause.objects.create(case=case, reason=new_reason, started_at=at)
    if is_reopen(previous, status):
        resolution = (
            SlaClock.objects.filter(case=case, metric=SlaMetric.RESOLUTION)
            .order_by("-started_at", "-id")
            .first()
        )
        if resolution is not None and resolution.state == SlaClockState.STOPPED:
            _save(
                resolution,
                state=SlaClockState.RUNNING,
                stopped_at=None,
                elapsed_seconds=None,
            )
    sla_refresh(case=case, at=at)


def sla_on_response(*, case: Case, at: dt.datetime) -> None:
    """A public answer to the customer: the first- and next-response clocks stop."""
    if case.sla_calendar_id is None:
        return
    answered = [
        clock
        for clock in _live(case)
        if clock.metric in {SlaMetric.FIRST_RESPONSE, SlaMetric.NEXT_RESPONSE}
    ]
    if answered:
        _stop(answered, case, at)
        sla_refresh(case=case, at=at)


def sla_on_customer_message(*, case: Case, at: dt.datetime) -> None:
    """A customer's message after our first answer starts a next-response clock
    (one at a time: several messages in a row wait for one answer)."""
    if case.sla_calendar_id is None or case.first_responded_at is None:
        return
    policy = case.sla_policy
    if policy is None or not policy.next_response_minutes:
        return
    if (
        SlaClock.objects.filter(case=case, metric=SlaMetric.NEXT_RESPONSE)
        .exclude(state=SlaClockState.STOPPED)
        .exists()
    ):
        return
    SlaClock.objects.create(
        case=case,
        metric=SlaMetric.NEXT_RESPONSE,
        started_at=at,
        target_seconds=policy.next_response_minutes * 60,
        at_risk_percent=policy.at_risk_percent,
    )
    sla_refresh(case=case, at=at)
