"""The case page (``cases:detail``) beside its floor.

Reproducing every panel of the case page from raw SQL (timeline, customer 360 with
orders and consents, SLA clocks, escalation ladder, tags and custom fields, live
presence, merge state, the other apps' panels) would be a second implementation of
the page. Its floor is therefore built in two parts, each the cheapest the stack
allows for that part:

* **SQL floor**: every distinct ``SELECT`` the real view runs (captured from one
  request, with its parameters), replayed on a raw cursor, rows fetched, nothing
  built from them. Left out: the session and authentication lookups (the inbox's
  page floor has none either), writes (there are none on a GET; counted anyway) and
  the statements the render below runs itself. Our own SQL is replayed, so a slow
  query of ours is in the floor too: the plans are checked separately
  (``slowest_queries``).
* **Render floor**: ``cases/detail.html`` rendered by Django's template engine with
  the context built *once* by the view's own context function, its querysets turned
  into lists, and the other apps' panels given their context once too (their
  templates are still rendered): no middleware, session, view, selector or form
  construction per call. What still runs per render: the template tags' own queries
  (the navigation's unread count, which the inbox floor shares), counted in
  ``render_queries``.

``page floor = SQL floor + render floor``; ``ours`` is the real view through Django's
test client, logged in as an agent of the case's team, on a case with a timeline of
about forty entries (replies, customer messages, notes, calls, status changes, an
escalation) added once through the services.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.db.models import QuerySet
from django.template.loader import get_template
from django.test import Client, RequestFactory
from django.urls import reverse

from amiable.accounts.models import User
from amiable.core.panels import PanelRequest, PanelSlot, panels_for
from bench.case_page_parts import case_page_parts
from bench.timing import compare, describe, sample, sample_pair
from bench.vocabulary import WORDS

META_KEY = "case_page_case"
ROUNDS = 8
SKIPPED = ("django_session", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO")
# Per-request values: the CSRF token, and the promise panel's « now + 1 day ».
VOLATILE = re.compile(
    r'csrfmiddlewaretoken" value="[^"]+"|X-CSRFToken": "[^"]+"|data-suggested="[^"]+"'
)


def _meta_get(key: str) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM bench_meta WHERE key = %s", [key])
        row = cursor.fetchone()
    return str(row[0]) if row else None


def _meta_set(key: str, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM bench_meta WHERE key = %s", [key])
        cursor.execute(
            "INSERT INTO bench_meta (key, value) VALUES (%s, %s)", [key, value]
        )


def _text(index: int, words: int) -> str:
    return " ".join(WORDS[(index * 7 + step) % len(WORDS)] for step in range(words))


def timeline_case(*, agent: User) -> int:
    """A case of the agent's team with a realistic timeline, made once per data set
    through the services (recorded in ``bench_meta``): the data set's cases carry
    two e-mails each."""
    known = _meta_get(META_KEY)
    if known:
        return int(known)
    from amiable.cases.models import Case, CaseStatus
    from amiable.cases.services import (
        case_add_note,
        case_change_status,
        case_escalate,
        case_log_call,
        case_reply,
    )
    from amiable.conversations.models import Channel, Direction
    from amiable.conversations.services import interaction_record

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert agent.team_id is not None, "the bench agent has a team"
    case = (
        Case.objects.filter(
            team_id=agent.team_id, status__in=[CaseStatus.NEW, CaseStatus.OPEN]
        )
        .order_by("id")
        .first()
    )
    assert case is not None, "no open case in the agent's team"
    for index in range(ROUNDS):
        case = Case.objects.get(pk=case.pk)
        interaction_record(
            actor=None,
            customer=case.customer,
            case=case,
            channel=Channel.EMAIL,
            direction=Direction.INBOUND,
            subject=f"Re: {case.subject}",
            body_text=_text(index, 60),
        )
        case = Case.objects.get(pk=case.pk)
        if case.status != CaseStatus.OPEN:
            case = case_change_status(actor=agent, case=case, status=CaseStatus.OPEN)
        case_add_note(actor=agent, case=case, body_text=_text(index + 50, 25))
        case = Case.objects.get(pk=case.pk)
        if index % 2:
            case_log_call(
                actor=agent,
                case=case,
                direction=Direction.OUTBOUND,
                duration_seconds=240,
                outcome="answered",
                notes=_text(index + 90, 20),
            )
            case = Case.objects.get(pk=case.pk)
        case_reply(
            actor=agent,
            case=case,
            body_text=_text(index + 20, 80),
            status=CaseStatus.WAITING_CUSTOMER,
            is_confirmed=True,
        )
        if index == ROUNDS // 2:
            case = Case.objects.get(pk=case.pk)
            case_escalate(
                actor=agent, case=case, level=1, reason="Client mécontent, relancé."
            )
    _meta_set(META_KEY, str(case.pk))
    return int(case.pk)


@contextmanager
def _captured_statements() -> Iterator[list[tuple[str, Any]]]:
    statements: list[tuple[str, Any]] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append((sql, None if params is None else tuple(params)))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield statements


def _is_auth(sql: str) -> bool:
    """The session's user lookup (``AuthenticationMiddleware``)."""
    return sql.startswith('SELECT "accounts_user"') and sql.rstrip().endswith(
        '"accounts_user"."id" = %s LIMIT 21'
    )


def _fixed(given: Any) -> Callable[[PanelRequest], Any]:
    """A panel context function that returns ``given`` (computed once)."""

    def context(_request: PanelRequest) -> Any:
        return given

    return context


def _materialise(value: Any) -> Any:
    return list(value) if isinstance(value, QuerySet) else value


def _stable(html: str) -> str:
    return VOLATILE.sub("", html)


def case_page_benchmark(*, agent: User, samples: int) -> dict[str, Any]:
    """The real case page against its SQL floor + render floor (see the module)."""
    from amiable.cases.views.page_context import detail_context as _detail_context
    from amiable.web.requests import case_or_404
    from amiable.web.templatetags import amiable_web

    case_id = timeline_case(agent=agent)
    url = reverse("cases:detail", args=[case_id])
    client = Client()
    client.force_login(agent)

    def ours() -> Any:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    ours()  # warm caches (templates, translations) before capturing
    with _captured_statements() as view_statements:
        ours_html = ours().content.decode()

    # The render floor: the view's own context, built once.
    request = RequestFactory().get(url)
    request.user = agent
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]
    case = case_or_404(agent, case_id)
    context = {
        key: _materialise(value) for key, value in _detail_context(agent, case).items()
    }
    template = get_template("cases/detail.html")
    frozen: dict[str, list[Any]] = {}
    for slot in (PanelSlot.CASE_MAIN, PanelSlot.CASE_ASIDE, PanelSlot.CASE_COMPOSER):
        panels = []
        for panel in panels_for(slot):
            asked = PanelRequest(request=request, subject=case, actor=agent)
            given = panel.context(asked)
            panels.append(dataclasses.replace(panel, context=_fixed(given)))
        frozen[str(slot)] = panels

    def frozen_panels(slot: Any) -> list[Any]:
        return frozen.get(str(slot), [])

    def render() -> str:
        amiable_web.panels_for = frozen_panels  # type: ignore[attr-defined]
        try:
            return template.render(context, request)
        finally:
            amiable_web.panels_for = panels_for  # type: ignore[attr-defined]

    render()  # fill the instances' relation caches once, as a pre-built context would
    with _captured_statements() as render_statements:
        floor_html = render()
    in_render = set(render_statements)
    selects: list[tuple[str, Any]] = []
    writes = 0
    for sql, params in view_statements:
        head = sql.lstrip().upper()
        if sql.startswith(SKIPPED) or "django_session" in sql or _is_auth(sql):
            continue
        if not head.startswith(("SELECT", "WITH")):
            writes += 1
            continue
        if (sql, params) in in_render or (sql, params) in selects:
            continue
        selects.append((sql, params))

    def sql_floor() -> None:
        with connection.cursor() as cursor:
            for sql, params in selects:
                cursor.execute(sql, params)
                cursor.fetchall()

    def page_floor() -> str:
        sql_floor()
        return render()

    mine, base = sample_pair(ours, page_floor, samples=samples)
    return {
        "case_id": case_id,
        "url": url,
        "timeline_entries": len(context["interactions"]),
        "view_queries": len(view_statements),
        "replayed_selects": len(selects),
        "render_queries": len(render_statements),
        "writes_on_get": writes,
        "same_html_but_csrf_and_now": _stable(ours_html) == _stable(floor_html),
        "html_bytes": {"ours": len(ours_html), "floor": len(floor_html)},
        "page_floor": compare(
            mine,
            base,
            measured="web view (agent) vs SQL floor + render floor",
        ),
        "sql_floor": describe(sample(sql_floor, samples=samples)),
        "render_floor": describe(sample(render, samples=samples)),
        "slowest_queries": _slowest(selects),
        "parts_p50_ms": case_page_parts(
            agent=agent, case_id=case_id, request=request, samples=samples
        ),
    }


def _slowest(selects: list[tuple[str, Any]], keep: int = 5) -> list[dict[str, Any]]:
    """The replayed statements that cost most (median of 5 runs), to say where the
    SQL time goes."""
    timed = []
    for sql, params in selects:

        def run(sql: str = sql, params: Any = params) -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()

        timings = sample(run, samples=5, warmup=1)
        timed.append((sorted(timings)[2], sql))
    timed.sort(reverse=True)
    return [{"p50_ms": round(ms, 3), "sql": sql[:300]} for ms, sql in timed[:keep]]


def case_page_callable(*, agent: User) -> Callable[[], Any]:
    """The real page as a callable (for profiling)."""
    url = reverse("cases:detail", args=[timeline_case(agent=agent)])
    client = Client()
    client.force_login(agent)
    return lambda: client.get(url)
