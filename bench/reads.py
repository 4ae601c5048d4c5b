"""Read benchmarks: inbox pages (web view), API list and full-text search, each beside
a raw-SQL floor that fetches the same rows with the joins the page needs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client
from django.urls import reverse

from amiable.accounts.models import User
from amiable.cases.selectors import SORTS, UNSOLVED, CaseFilters, case_list
from amiable.conversations.selectors import interaction_list
from amiable.core.fulltext import fts5_match, pg_tsquery, search_terms
from amiable.core.pagination import paginate
from amiable.customers.selectors import CustomerFilters, customer_list
from bench.page_floor import inbox_page_floor, references_of
from bench.timing import compare, sample, sample_pair

PAGE_SQL = (
    "SELECT c.id, c.reference, c.subject, c.kind, c.priority, c.status, "
    "c.last_activity_at, c.opened_at, c.version, cu.id, cu.name, u.id, u.username, "
    "u.first_name, u.last_name, t.id, t.name FROM cases_case c "
    "JOIN customers_customer cu ON cu.id = c.customer_id "
    "LEFT JOIN accounts_user u ON u.id = c.assignee_id "
    "LEFT JOIN accounts_team t ON t.id = c.team_id "
    "{where} ORDER BY c.last_activity_at DESC, c.id DESC LIMIT {limit}"
)


def _floor(where: str, params: list[Any], limit: int) -> Callable[[], Any]:
    sql = PAGE_SQL.format(where=where, limit=limit)

    def run() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def _get(client: Client, url: str) -> Callable[[], Any]:
    def run() -> Any:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return run


def _page(queryset: Any, ordering: tuple[str, ...]) -> Callable[[], Any]:
    def run() -> Any:
        return paginate(queryset, ordering=ordering, limit=25)

    return run


def _explain(queryset: Any) -> list[str]:
    return [line for line in str(queryset.explain()).splitlines() if line.strip()]


def _fts_where(text: str) -> tuple[str, list[Any]]:
    terms = search_terms(text)
    if connection.vendor == "postgresql":
        tsquery, params = pg_tsquery(terms)
        return (
            "WHERE c.id IN (SELECT case_id FROM cases_case_search "
            f"WHERE document @@ {tsquery})",
            list(params),
        )
    return (
        "WHERE c.id IN (SELECT rowid FROM case_fts WHERE case_fts MATCH %s)",
        [fts5_match(terms)],
    )


def inbox_benchmarks(
    *, admin: User, agent: User, samples: int, page_view: bool
) -> dict[str, Any]:
    """Inbox page 1, a filtered page, the agent-scoped page and the counts."""
    results: dict[str, Any] = {}
    admin_client, agent_client = Client(), Client()
    admin_client.force_login(admin)
    agent_client.force_login(agent)
    inbox = reverse("cases:inbox")
    every_case = f"{inbox}?view=all"
    scope = "WHERE (c.team_id = %s OR c.team_id IS NULL OR c.assignee_id = %s)"
    unsolved = ", ".join(f"'{status}'" for status in UNSOLVED)
    cases: dict[str, tuple[Client, str, str, list[Any], CaseFilters]] = {
        "inbox_page1": (admin_client, every_case, "", [], CaseFilters()),
        "inbox_open_high": (
            admin_client,
            f"{inbox}?status=open&priority=high",
            "WHERE c.status = %s AND c.priority = %s",
            ["open", "high"],
            CaseFilters(statuses=("open",), priorities=("high",)),
        ),
        "inbox_unassigned": (
            admin_client,
            f"{inbox}?assignee=none",
            "WHERE c.assignee_id IS NULL",
            [],
            CaseFilters(assignee="none"),
        ),
        "inbox_agent_scope_page1": (
            agent_client,
            every_case,
            scope,
            [agent.team_id, agent.pk],
            CaseFilters(),
        ),
        # The agent's default view: « my unsolved cases ».
        "inbox_agent_default": (
            agent_client,
            inbox,
            scope.replace(
                "WHERE (",
                f"WHERE c.assignee_id = %s AND c.status IN ({unsolved}) AND (",
            ),
            [agent.pk, agent.team_id, agent.pk],
            CaseFilters(statuses=UNSOLVED, assignee="me"),
        ),
        "inbox_agent_team_open": (
            agent_client,
            f"{inbox}?status=open&team={agent.team_id}",
            scope.replace("WHERE (", "WHERE c.status = %s AND c.team_id = %s AND (")
            if agent.team_id
            else scope,
            ["open", agent.team_id, agent.team_id, agent.pk],
            CaseFilters(statuses=("open",), team_id=agent.team_id),
        ),
    }
    for name, (client, url, where, params, filters) in cases.items():
        actor = agent if client is agent_client else admin
        queryset = case_list(actor=actor, filters=filters)
        action = (
            _get(client, url)
            if page_view
            else _page(queryset, SORTS["-last_activity_at"])
        )
        ours, floor = sample_pair(action, _floor(where, params, 25), samples=samples)
        selector = sample(_page(queryset, SORTS["-last_activity_at"]), samples=samples)
        results[name] = compare(
            ours,
            floor,
            measured="web view" if page_view else "selector+paginate (no view yet)",
            selector_paginate=compare(selector, floor),
            plan=_explain(queryset.order_by(*SORTS["-last_activity_at"])[:26]),
        )

    if page_view:
        page_floor = inbox_page_floor(admin)
        ours_html = admin_client.get(every_case).content.decode()
        same_rows = references_of(ours_html) == references_of(page_floor())
        results["inbox_page1"]["page_floor"] = compare(
            *sample_pair(_get(admin_client, every_case), page_floor, samples=samples),
            measured="web view vs the same page from raw SQL + the same template",
            same_rows_in_same_order=same_rows,
        )

    def counts_floor() -> Any:
        with connection.cursor() as cursor:
            cursor.execute("SELECT status, COUNT(*) FROM cases_case GROUP BY status")
            return cursor.fetchall()

    results["inbox_counts"] = compare(
        sample(
            _get(admin_client, reverse("cases:inbox_counts")),
            samples=max(5, samples // 3),
        ),
        sample(counts_floor, samples=max(5, samples // 3)),
        measured="web view (htmx fragment loaded after the page)",
    )
    return results


def api_list_benchmark(*, token: str, samples: int) -> dict[str, Any]:
    client = Client(headers={"Authorization": f"Bearer {token}"})
    ours = sample(_get(client, "/api/v1/cases?limit=50"), samples=samples)
    floor = sample(_floor("", [], 50), samples=samples)
    return compare(ours, floor, measured="GET /api/v1/cases?limit=50 (in-process)")


def search_benchmarks(*, admin: User, terms: list[str], samples: int) -> dict[str, Any]:
    """Case search through the selector beside the raw FTS page; customers and
    interactions through their selectors beside the raw FTS id query."""
    results: dict[str, Any] = {}
    ordering = SORTS["-last_activity_at"]
    for text in terms:
        queryset = case_list(actor=admin, filters=CaseFilters(text=text))
        where, params = _fts_where(text)
        ours = sample(_page(queryset, ordering), samples=samples)
        floor = sample(_floor(where, params, 25), samples=samples)
        page = paginate(queryset, ordering=ordering, limit=25)
        results[f"cases:{text}"] = compare(
            ours,
            floor,
            first_page_rows=len(page.items),
            plan=_explain(queryset.order_by(*ordering)[:26]),
        )
    name = terms[1] if len(terms) > 1 else terms[0]
    customers = customer_list(actor=admin, filters=CustomerFilters(text=name))
    customer_terms = search_terms(name)
    if connection.vendor == "postgresql":
        tsquery, params = pg_tsquery(customer_terms)
        customer_sql = (
            "SELECT c.id, c.name FROM customers_customer c WHERE c.id IN (SELECT "
            f"customer_id FROM customers_customer_search WHERE document @@ {tsquery}) "
            "ORDER BY c.name, c.id LIMIT 25"
        )
        customer_params: list[Any] = list(params)
    else:
        customer_sql = (
            "SELECT c.id, c.name FROM customers_customer c WHERE c.id IN (SELECT rowid "
            "FROM customer_fts WHERE customer_fts MATCH %s) "
            "ORDER BY c.name, c.id LIMIT 25"
        )
        customer_params = [fts5_match(customer_terms)]

    def customer_floor() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(customer_sql, customer_params)
            return cursor.fetchall()

    results[f"customers:{name}"] = compare(
        sample(
            lambda: paginate(customers, ordering=("name", "id"), limit=25),
            samples=samples,
        ),
        sample(customer_floor, samples=samples),
    )
    word = "emballage abîmé"
    interactions = interaction_list(actor=admin, text=word)
    interaction_sql, interaction_params = _interaction_floor(word)

    def interaction_floor() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(interaction_sql, interaction_params)
            return cursor.fetchall()

    results[f"interactions:{word}"] = compare(
        sample(
            lambda: paginate(interactions, ordering=("-occurred_at", "-id"), limit=25),
            samples=samples,
        ),
        sample(interaction_floor, samples=samples),
    )
    return results


def _interaction_floor(text: str) -> tuple[str, list[Any]]:
    """The page of matching interactions with the columns the timeline shows."""
    terms = search_terms(text)
    if connection.vendor == "postgresql":
        from amiable.conversations.search import POSTGRESQL_MATCH

        tsquery, params = pg_tsquery(terms)
        ids, id_params = POSTGRESQL_MATCH.format(query=tsquery), list(params)
    else:
        ids = "SELECT rowid FROM interaction_fts WHERE interaction_fts MATCH %s"
        id_params = [fts5_match(terms)]
    sql = (
        "SELECT i.*, cu.name, c.reference FROM conversations_interaction i "
        "JOIN customers_customer cu ON cu.id = i.customer_id "
        "LEFT JOIN cases_case c ON c.id = i.case_id "
        f"WHERE i.id IN ({ids}) ORDER BY i.occurred_at DESC, i.id DESC LIMIT 25"
    )
    return sql, id_params
