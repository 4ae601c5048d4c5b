"""Routing a new case to a team and handing it to one of its present agents.

``case_open`` calls ``routing_decide`` when the caller names neither a team nor an
assignee: the first active ``RoutingRule`` (by position) whose conditions the case
meets gives the team (or "by skills": the team whose languages and categories fit
best). Then, when the team assigns automatically, ``assignment_pick`` chooses among
its agents who are active and available (``User.is_available``): round robin after
the last one served, or the one with the fewest open cases (ties: round robin).
A rule with a tag matches a case opened with that tag, or whose customer has it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Count

from amiable.accounts.models import Role, Team, User
from amiable.cases.models import (
    IS_OPEN,
    AssignmentMode,
    Case,
    RoutingRule,
    TeamRouting,
)
from amiable.core.config_cache import ConfigCache
from amiable.customers.models import Customer, Tag


@dataclass(frozen=True)
class CaseFacts:
    """What routing rules look at."""

    kind: str
    priority: str
    channel: str
    category: str
    customer_tier: str
    language: str
    # The new case's tags (names); its customer's are read when a rule asks.
    tags: frozenset[str] = frozenset()
    customer_id: int | None = None

    @classmethod
    def of(
        cls,
        *,
        customer: Customer,
        kind: str,
        priority: str,
        channel: str,
        category: str,
        tags: Iterable[str] = (),
    ) -> CaseFacts:
        return cls(
            kind=kind,
            priority=priority,
            channel=channel,
            category=category,
            customer_tier=customer.tier,
            language=(customer.preferred_language or "")[:2].lower(),
            tags=frozenset(tags),
            customer_id=customer.pk,
        )


@dataclass(frozen=True)
class RoutingDecision:
    team: Team | None
    assignee: User | None
    rule: str = ""  # the name of the rule that chose the team
    mode: str = AssignmentMode.MANUAL


def _customer_tags(facts: CaseFacts) -> frozenset[str]:
    if facts.customer_id is None:
        return frozenset()
    return frozenset(
        Tag.objects.filter(customers=facts.customer_id).values_list("name", flat=True)
    )


def _rule_matches(
    rule: RoutingRule, facts: CaseFacts, customer_tags: Callable[[], frozenset[str]]
) -> bool:
    wanted = {
        "kind": facts.kind,
        "priority": facts.priority,
        "channel": facts.channel,
        "customer_tier": facts.customer_tier,
        "category": facts.category,
        "language": facts.language,
    }
    if rule.tag and rule.tag not in facts.tags and rule.tag not in customer_tags():
        return False
    return all(getattr(rule, name) in {"", value} for name, value in wanted.items())


def team_by_skills(facts: CaseFacts) -> Team | None:
    """The team whose skills fit best: its categories include the case's (2 points)
    and its languages the customer's (1 point); None when no team fits at all."""
    best: tuple[int, str, Team] | None = None
    for routing in TeamRouting.objects.select_related("team"):
        score = 2 * (bool(facts.category) and facts.category in routing.categories)
        score += bool(facts.language) and facts.language in routing.languages
        if score == 0:
            continue
        key = (-score, routing.team.name, routing.team)
        if best is None or key[:2] < best[:2]:
            best = key
    return best[2] if best else None


ACTIVE_RULES: ConfigCache[list[RoutingRule]] = ConfigCache(
    "routing-rules",
    lambda: list(RoutingRule.objects.filter(is_active=True).select_related("team")),
    models=(RoutingRule, Team),
)


def routing_decide(facts: CaseFacts) -> RoutingDecision:
    """The team (and maybe the agent) a new case goes to; nothing when no rule
    matches. The active rules are read at most every 30 seconds per process."""
    loaded: list[frozenset[str]] = []

    def customer_tags() -> frozenset[str]:  # one query, only for a rule with a tag
        if not loaded:
            loaded.append(_customer_tags(facts))
        return loaded[0]

    for rule in ACTIVE_RULES.get():
        if not _rule_matches(rule, facts, customer_tags):
            continue
        team = rule.team or team_by_skills(facts)
        if team is None:
            continue
        return assignment_pick(team=team, rule=rule.name)
    return RoutingDecision(team=None, assignee=None)


def assignment_pick(*, team: Team, rule: str = "") -> RoutingDecision:
    """Choose the agent of ``team`` who gets its next new case, per the team's
    assignment mode; no agent when it assigns manually or nobody is available.

    Locks the team's routing row, so two cases opened at once never both go to
    the same agent by round robin."""
    routing = TeamRouting.objects.select_for_update().filter(team=team).first()
    if routing is None or routing.assignment_mode == AssignmentMode.MANUAL:
        return RoutingDecision(team=team, assignee=None, rule=rule)
    agents = list(
        User.objects.filter(
            team=team, role=Role.AGENT, is_active=True, is_available=True
        ).order_by("pk")
    )
    if not agents:
        return RoutingDecision(team=team, assignee=None, rule=rule)
    after = routing.last_assigned_id or 0
    # Round-robin order: the agents after the last one served, then the others.
    rotation = [a for a in agents if a.pk > after] + [
        a for a in agents if a.pk <= after
    ]
    if routing.assignment_mode == AssignmentMode.LEAST_LOADED:
        loads = dict(
            Case.objects.filter(IS_OPEN, assignee__in=agents)
            .order_by()
            .values_list("assignee")
            .annotate(total=Count("id"))
        )
        chosen = min(rotation, key=lambda agent: loads.get(agent.pk, 0))
    else:
        chosen = rotation[0]
    TeamRouting.objects.filter(pk=routing.pk).update(last_assigned=chosen)
    return RoutingDecision(
        team=team, assignee=chosen, rule=rule, mode=routing.assignment_mode
    )
