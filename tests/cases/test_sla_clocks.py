"""SLA clocks through the case services, with due times computed by hand on French
calendars (domain-rules §5.5-§5.7): holidays, Alsace-Moselle, DST, lunch breaks,
exceptions, pauses while waiting on the customer, and calendar versions."""

from __future__ import annotations

import datetime as dt

import pytest

from amiable.accounts.models import Team, User
from amiable.cases.models import (
    Case,
    CaseStatus,
    SlaClock,
    SlaClockState,
    SlaMetric,
    SlaPause,
    SlaPolicy,
    SlaState,
)
from amiable.cases.services import (
    case_change_status,
    case_open,
    case_record_inbound,
    case_reply,
    case_resolve,
)
from amiable.conversations.models import Channel
from amiable.customers.models import Customer, CustomerTier
from amiable.sla.definitions import parse_exceptions, parse_opening_hours
from amiable.sla.services import calendar_save
from tests.cases.conftest import CalendarMaker, Clock, paris
from tests.factories import CustomerFactory
from tests.factories.cases import SlaPolicyFactory


def _open(customer: Customer, team: Team, at: dt.datetime, **extra: str) -> Case:
    return case_open(
        actor=None,
        customer=customer,
        subject="Colis introuvable",
        team=team,
        occurred_at=at,
        body_text="Bonjour, où est mon colis ?",
        **extra,  # type: ignore[arg-type]
    )


def _clock(case: Case, metric: str) -> SlaClock:
    return SlaClock.objects.filter(case=case, metric=metric).latest("started_at", "id")


def _fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("region", "due"),
    [
        # National list: Good Friday is worked, so 2 h on Thursday + 6 h on Friday.
        ("", paris(2026, 4, 3, 15)),
        # Moselle and Alsace: Good Friday (3 April) and Easter Monday (6 April) off.
        ("57", paris(2026, 4, 7, 15)),
        ("6AE", paris(2026, 4, 7, 15)),
    ],
)
def test_easter_2026_first_response_by_region(
    customer: Customer,
    team: Team,
    policy: SlaPolicy,
    make_calendar: CalendarMaker,
    region: str,
    due: dt.datetime,
) -> None:
    make_calendar(team=team, region=region)

    case = _open(customer, team, paris(2026, 4, 2, 16))

    clock = _clock(case, SlaMetric.FIRST_RESPONSE)
    assert (clock.due_at, clock.state) == (due, SlaClockState.RUNNING)
    assert clock.target_seconds == 8 * 3600
    assert _fresh(case).sla_due_at == due
    assert _fresh(case).sla_state == SlaState.ON_TRACK


@pytest.mark.django_db
def test_friday_evening_plus_two_hours_crosses_the_dst_change(
    customer: Customer, team: Team, make_calendar: CalendarMaker
) -> None:
    make_calendar(team=team)
    SlaPolicyFactory.create(first_response_minutes=120, resolution_minutes=None)

    case = _open(customer, team, paris(2026, 3, 27, 17))

    due = _clock(case, SlaMetric.FIRST_RESPONSE).due_at
    assert due == dt.datetime(2026, 3, 30, 8, tzinfo=dt.UTC)
    assert due is not None
    assert due.astimezone(paris(2026, 3, 30).tzinfo).isoformat() == (
        "2026-03-30T10:00:00+02:00"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("exceptions", "due"),
    [
        # Whit Monday (25 May 2026) is a public holiday…
        ("", paris(2026, 5, 26, 10)),
        # …unless the team works it as its solidarity day.
        ("2026-05-25 open Journée de solidarité", paris(2026, 5, 25, 10)),
    ],
)
def test_a_team_may_open_on_a_public_holiday(
    customer: Customer,
    team: Team,
    make_calendar: CalendarMaker,
    exceptions: str,
    due: dt.datetime,
) -> None:
    make_calendar(team=team, exceptions=exceptions)
    SlaPolicyFactory.create(first_response_minutes=120, resolution_minutes=None)

    case = _open(customer, team, paris(2026, 5, 22, 17))

    assert _clock(case, SlaMetric.FIRST_RESPONSE).due_at == due


@pytest.mark.django_db
def test_an_extra_closed_day_and_easter_monday(
    customer: Customer, team: Team, policy: SlaPolicy, make_calendar: CalendarMaker
) -> None:
    make_calendar(team=team, exceptions="2026-04-03 closed Inventaire")

    case = _open(customer, team, paris(2026, 4, 2, 16))

    assert _clock(case, SlaMetric.FIRST_RESPONSE).due_at == paris(2026, 4, 7, 15)


@pytest.mark.django_db
def test_the_lunch_break_does_not_count(
    customer: Customer, team: Team, make_calendar: CalendarMaker
) -> None:
    make_calendar(team=team, hours="mon-fri 09:00-12:30 13:30-18:00")
    SlaPolicyFactory.create(first_response_minutes=120, resolution_minutes=None)

    case = _open(customer, team, paris(2026, 6, 2, 11, 30))

    assert _clock(case, SlaMetric.FIRST_RESPONSE).due_at == paris(2026, 6, 2, 14, 30)


@pytest.mark.django_db
def test_a_team_without_calendar_uses_the_default_one(
    customer: Customer, team: Team, policy: SlaPolicy
) -> None:
    case = _open(customer, team, paris(2026, 4, 2, 16))

    assert _fresh(case).sla_calendar is not None
    assert _fresh(case).sla_calendar.calendar.is_default  # type: ignore[union-attr]
    assert _clock(case, SlaMetric.FIRST_RESPONSE).due_at == paris(2026, 4, 3, 15)


@pytest.mark.django_db
def test_waiting_on_the_customer_pauses_and_a_reply_resumes(
    customer: Customer,
    team: Team,
    agent: User,
    policy: SlaPolicy,
    make_calendar: CalendarMaker,
    clock: Clock,
) -> None:
    """Opened Monday 4 May 2026 09:00; 45 business hours to resolve. Without a
    pause: due Monday 11 May 18:00 (Friday 8 May is a holiday). Answered at 10:00
    and waiting on the customer until Wednesday 6 May 10:00: 1 h used, 44 h left
    from Wednesday 10:00, so due Wednesday 13 May 18:00."""
    make_calendar(team=team)
    clock.set(paris(2026, 5, 4, 9))
    case = _open(customer, team, paris(2026, 5, 4, 9))
    assert _clock(case, SlaMetric.RESOLUTION).due_at == paris(2026, 5, 11, 18)

    clock.set(paris(2026, 5, 4, 10))
    case_reply(
        actor=agent,
        case=_fresh(case),
        body_text="Pouvez-vous nous envoyer une photo ?",
        status=CaseStatus.WAITING_CUSTOMER,
    )
    paused = _clock(case, SlaMetric.RESOLUTION)
    first = _clock(case, SlaMetric.FIRST_RESPONSE)
    assert (paused.state, paused.due_at) == (SlaClockState.PAUSED, None)
    assert (first.state, first.is_met, first.elapsed_seconds) == (
        SlaClockState.STOPPED,
        True,
        3600,
    )
    assert _fresh(case).sla_state == SlaState.PAUSED

    clock.set(paris(2026, 5, 6, 10))
    case_record_inbound(
        customer=customer,
        case=_fresh(case),
        channel=Channel.EMAIL,
        body_text="Voici la photo.",
        external_id="<photo@client.fr>",
        occurred_at=paris(2026, 5, 6, 10),
    )

    resumed = _clock(case, SlaMetric.RESOLUTION)
    following = _clock(case, SlaMetric.NEXT_RESPONSE)
    assert (resumed.state, resumed.due_at) == (
        SlaClockState.RUNNING,
        paris(2026, 5, 13, 18),
    )
    assert following.due_at == paris(2026, 5, 6, 14)
    assert _fresh(case).sla_due_at == paris(2026, 5, 6, 14)
    pause = SlaPause.objects.get(case=case)
    assert (pause.reason, pause.started_at, pause.ended_at) == (
        "waiting_customer",
        paris(2026, 5, 4, 10),
        paris(2026, 5, 6, 10),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("pauses", "state"), [(True, "paused"), (False, "running")])
def test_waiting_on_a_third_party_pauses_only_if_the_policy_says_so(
    customer: Customer,
    team: Team,
    agent: User,
    clock: Clock,
    pauses: bool,
    state: str,
) -> None:
    SlaPolicyFactory.create(pauses_on_third_party=pauses)
    clock.set(paris(2026, 5, 4, 9))
    case = _open(customer, team, paris(2026, 5, 4, 9))

    case_change_status(actor=agent, case=case, status=CaseStatus.WAITING_THIRD_PARTY)

    assert _clock(case, SlaMetric.RESOLUTION).state == state


@pytest.mark.django_db
def test_resolution_stops_the_clocks_and_a_reopen_resumes_resolution(
    customer: Customer, team: Team, agent: User, policy: SlaPolicy, clock: Clock
) -> None:
    clock.set(paris(2026, 5, 4, 9))
    case = _open(customer, team, paris(2026, 5, 4, 9))
    clock.set(paris(2026, 5, 4, 11))
    case_resolve(actor=agent, case=_fresh(case), resolution_summary="Renvoyé.")
    stopped = _clock(case, SlaMetric.RESOLUTION)
    assert (stopped.state, stopped.elapsed_seconds, stopped.is_met) == (
        SlaClockState.STOPPED,
        2 * 3600,
        True,
    )
    assert _fresh(case).sla_state == SlaState.NONE

    # Resolved for a day: that span does not count when the customer writes back.
    clock.set(paris(2026, 5, 5, 11))
    case_change_status(actor=agent, case=_fresh(case), status=CaseStatus.OPEN)

    resumed = _clock(case, SlaMetric.RESOLUTION)
    # 2 h used on Monday; 43 h left from Tuesday 11:00: Tue 7, Wed 9, Thu 9,
    # (Fri 8 May off), Mon 11 9, Tue 12 9 -> 43 h at Tuesday 12 May 18:00.
    assert (resumed.state, resumed.due_at) == (
        SlaClockState.RUNNING,
        paris(2026, 5, 12, 18),
    )
    assert _fresh(case).reopened_count == 1


@pytest.mark.django_db
def test_a_late_answer_is_recorded_as_a_breach(
    customer: Customer, team: Team, agent: User, policy: SlaPolicy, clock: Clock
) -> None:
    case = _open(customer, team, paris(2026, 4, 2, 16))
    clock.set(paris(2026, 4, 3, 16))

    case_reply(actor=agent, case=_fresh(case), body_text="Nous regardons.")

    first = _clock(case, SlaMetric.FIRST_RESPONSE)
    assert (first.state, first.breached_at, first.elapsed_seconds) == (
        SlaClockState.STOPPED,
        paris(2026, 4, 3, 15),
        9 * 3600,
    )
    assert first.is_met is False


@pytest.mark.django_db
def test_clocks_keep_the_calendar_version_they_started_with(
    customer: Customer,
    team: Team,
    agent: User,
    policy: SlaPolicy,
    make_calendar: CalendarMaker,
    clock: Clock,
) -> None:
    calendar = make_calendar(team=team)
    case = _open(customer, team, paris(2026, 4, 2, 16))
    calendar_save(
        actor=None,
        calendar=calendar,
        name=calendar.name,
        time_zone="Europe/Paris",
        holiday_region="",
        opening_hours=parse_opening_hours("mon-fri 09:00-18:00"),
        exceptions=parse_exceptions("2026-04-03 closed Inventaire"),
        team=team,
    )

    clock.set(paris(2026, 4, 2, 17))
    case_change_status(actor=agent, case=_fresh(case), status="waiting_customer")
    clock.set(paris(2026, 4, 2, 17, 30))
    case_change_status(actor=agent, case=_fresh(case), status="open")

    assert _fresh(case).sla_calendar.number == 1  # type: ignore[union-attr]
    # 1 h before the pause; after it, 30 min on Thursday and 6 h 30 on Friday
    # (still open in version 1): the pause moved the due time by 30 minutes.
    assert _clock(case, SlaMetric.FIRST_RESPONSE).due_at == paris(2026, 4, 3, 15, 30)
    newer = _open(CustomerFactory.create(), team, paris(2026, 4, 2, 16))
    assert _fresh(newer).sla_calendar.number == 2  # type: ignore[union-attr]
    assert _clock(newer, SlaMetric.FIRST_RESPONSE).due_at == paris(2026, 4, 7, 15)


@pytest.mark.django_db
def test_the_first_matching_policy_applies(customer: Customer, team: Team) -> None:
    SlaPolicyFactory.create(
        name="Platine",
        position=1,
        customer_tier=CustomerTier.PLATINUM,
        first_response_minutes=60,
    )
    SlaPolicyFactory.create(
        name="Réclamations", position=2, kind="complaint", first_response_minutes=120
    )
    SlaPolicyFactory.create(name="Tous", position=3, first_response_minutes=480)
    platinum = CustomerFactory.create(tier=CustomerTier.PLATINUM)

    cases = {
        "platinum complaint": _open(
            platinum, team, paris(2026, 4, 2, 10), kind="complaint"
        ),
        "complaint": _open(customer, team, paris(2026, 4, 2, 10), kind="complaint"),
        "question": _open(customer, team, paris(2026, 4, 2, 10)),
    }

    assert {
        name: _fresh(case).sla_policy.name  # type: ignore[union-attr]
        for name, case in cases.items()
    } == {
        "platinum complaint": "Platine",
        "complaint": "Réclamations",
        "question": "Tous",
    }


@pytest.mark.django_db
def test_no_policy_no_clock(customer: Customer, team: Team) -> None:
    SlaPolicyFactory.create(kind="dispute")

    case = _open(customer, team, paris(2026, 4, 2, 10))

    assert not SlaClock.objects.filter(case=case).exists()
    assert (_fresh(case).sla_state, _fresh(case).sla_policy) == ("", None)
