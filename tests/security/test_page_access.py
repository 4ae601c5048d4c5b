"""Every page of the URL configuration, opened and posted to as every role, against
the access rule declared next to its view (``@access``, ``amiable.core.access``).

The matrix is generated from the URL configuration, so a new page is in it the day it
is added, and a view without a declared rule fails the suite (the administration
site is declared once for its namespace, in ``config/urls.py``). For every page and
every role (anonymous, a customer signed in to the portal, an agent, an agent of
another team, a supervisor, the quality manager, an administrator), on the demo data
with the ids of objects of the agent's team, a GET and an empty POST (where the view
answers them):
- a role the rule allows is not denied: no 401/403, not sent to a sign-in page;
- a role the rule refuses is denied (401, 403, sent to the staff, administration or
  portal sign-in page with ``next``) or finds nothing (404), and nothing is written;
  signed pages are opened with a token that is not valid, refused to everybody;
- no answer is a server error, and a GET never writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from amiable.cases.models import Case, CaseMerge, CustomField, SavedView
from amiable.commerce.models import Order
from amiable.config.urls import NAMESPACE_ACCESS
from amiable.conversations.models import Attachment, Interaction
from amiable.core.access import Access, access_of
from amiable.customers.models import Address, CustomerMerge, Identity
from amiable.disputes.models import Proposal
from amiable.gestures.models.gestures import Gesture
from amiable.gestures.models.price_protection import PriceDropCampaign
from amiable.inbound.models import Review
from amiable.jobs.models import ImportJob
from amiable.macros.models import Macro
from amiable.privacy.models import DataRequest
from amiable.promises.models import Promise
from amiable.quality.models import Incident, Problem
from tests.security.access_scene import (
    ROLE_LOGINS,
    Scene,
    first_pk,
    writes_fingerprint,
)

DENIED = {401, 403}
# Where a refused visitor is sent (with ``next``): staff, administration, portal.
SIGN_IN_PAGES = ("web:login", "admin:login", "portal:home")
INVALID_TOKEN = "matrix-not-a-valid-token"
SKIPPED_PREFIXES = ("api/v1/",)  # the API has its matrix: test_api_access.py


@dataclass(frozen=True)
class Page:
    name: str  # namespaced URL name
    kwargs: tuple[str, ...]
    declared: Access | None


def _pages(
    patterns: list[URLPattern | URLResolver], prefix: str = "", namespace: str = ""
) -> Iterator[Page]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _pages(pattern.url_patterns, route, inner)
            continue
        if namespace.split(":")[0] in NAMESPACE_ACCESS:
            continue
        yield Page(
            name=namespace + str(pattern.name),
            kwargs=tuple(pattern.pattern.converters),
            declared=access_of(pattern.callback),
        )


PAGES = sorted(_pages(get_resolver().url_patterns), key=lambda page: page.name)


def _admin_pages() -> list[str]:
    """The administration site's index and every model's list."""
    from django.contrib import admin

    lists = [
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        for model in admin.site._registry
    ]
    return ["admin:index", *sorted(lists)]


def _by_name(model: type[Any], **filters: object) -> Callable[[Case], str]:
    return lambda case: first_pk(model, **filters)


# The value of a path parameter: by URL name and parameter, else by parameter.
VALUES: dict[str, Callable[[Case], str]] = {
    "cases:saved_view_delete:pk": _by_name(SavedView),
    "cases:custom_field_edit:pk": _by_name(CustomField),
    "cases:merge_undo:pk": lambda case: first_pk(CaseMerge, target__team=case.team),
    "customers:merge_undo:pk": _by_name(CustomerMerge),
    "conversations:attachment:pk": lambda case: first_pk(
        Attachment, interaction__case=case
    ),
    "gestures:campaign:pk": _by_name(PriceDropCampaign),
    "gestures:pk": lambda case: first_pk(Gesture, case__team=case.team),
    "quality:problem_detail:pk": _by_name(Problem),
    "quality:problem_update:pk": _by_name(Problem),
    "quality:problem_link:pk": _by_name(Problem),
    "quality:incident_detail:pk": _by_name(Incident),
    "quality:incident_link:pk": _by_name(Incident),
    "quality:incident_reply_all:pk": _by_name(Incident),
    "quality:incident_resolve_all:pk": _by_name(Incident),
    "inbound:pk": _by_name(Review),
    "promises:pk": lambda case: first_pk(Promise, case__team=case.team),
    "macros:pk": _by_name(Macro),
    "customers:pk": lambda case: str(case.customer_id),
    "pk": lambda case: str(case.pk),
    "case_pk": lambda case: str(case.pk),
    "case_id": lambda case: str(case.pk),
    "identity_pk": lambda case: first_pk(Identity, customer=case.customer),
    "address_pk": lambda case: first_pk(Address, customer=case.customer),
    "privacy:customer_id": lambda case: str(case.customer_id),
    "request_id": _by_name(DataRequest),
    "proposal_pk": _by_name(Proposal),
    "interaction_id": lambda case: first_pk(Interaction, case=case),
    "job_id": _by_name(ImportJob),
    "order_id": lambda case: first_pk(Order, customer=case.customer),
    "attachment_id": lambda case: first_pk(Attachment, interaction__case=case),
    "token": lambda case: INVALID_TOKEN,
}


def _value(page: Page, kwarg: str, case: Case) -> str:
    namespace = page.name.split(":")[0]
    for key in (f"{page.name}:{kwarg}", f"{namespace}:{kwarg}", kwarg):
        if key in VALUES:
            return VALUES[key](case)
    raise AssertionError(f"no value for {kwarg} of {page.name}")


def _client(scene: Scene, role: str) -> Client:
    client = Client(raise_request_exception=False)
    if role in scene.sessions:
        client.cookies[settings.SESSION_COOKIE_NAME] = scene.sessions[role]
    return client


def _sent_to_sign_in(location: str) -> bool:
    return location.startswith(
        tuple(f"{reverse(name)}?next=" for name in SIGN_IN_PAGES)
    )


def _call(scene: Scene, role: str, method: str, url: str) -> tuple[int, bool, bool]:
    """(status, whether it was denied, whether it wrote), rolled back after."""
    before = writes_fingerprint()
    with transaction.atomic():
        response = getattr(_client(scene, role), method)(url)
        denied = response.status_code in DENIED or (
            response.status_code == 302 and _sent_to_sign_in(response["Location"])
        )
        wrote = writes_fingerprint() != before
        transaction.set_rollback(True)
    return response.status_code, denied, wrote


def _expected_refused(declared: Access, role: str) -> bool:
    if declared.signed:
        return True
    if role == "other_agent":
        return "agent" not in declared.allowed or declared.team
    return role not in declared.allowed


def _wrong(
    outcome: tuple[int, bool, bool], method: str, *, expected_refused: bool
) -> bool:
    """A refused role is denied or finds nothing (404) and writes nothing; an
    allowed one is not denied (it may find nothing: ids are the agent's team's)."""
    status, denied, wrote = outcome
    if status >= 500 or (method == "get" and wrote):
        return True
    if expected_refused:
        return not (denied or status == 404) or wrote
    return denied


def _methods(scene: Scene, url: str) -> list[str]:
    """The methods the view answers (an administrator passes every sign-in check
    of the staff pages; the method check comes before the portal's)."""
    return [m for m in ("get", "post") if _call(scene, "admin", m, url)[0] != 405]


def test_the_matrix_covers_every_page() -> None:
    names = {page.name for page in PAGES}

    assert len(PAGES) >= 100
    assert {"cases:inbox", "portal:home", "web:login"} <= names


def test_every_page_declares_its_access() -> None:
    undeclared = [page.name for page in PAGES if page.declared is None]

    assert undeclared == [], "declare @access(...) on these views"


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_role_on_every_page(scene: Scene, page: Page) -> None:
    assert page.declared is not None
    url = reverse(
        page.name, kwargs={k: _value(page, k, scene.case) for k in page.kwargs}
    )
    outcomes = {
        (role, method): _call(scene, role, method, url)
        for method in _methods(scene, url)
        for role in ROLE_LOGINS
    }

    wrong = {
        key: outcome
        for key, outcome in outcomes.items()
        if _wrong(
            outcome, key[1], expected_refused=_expected_refused(page.declared, key[0])
        )
    }
    assert wrong == {}, (page.declared, outcomes)


@pytest.mark.django_db
@pytest.mark.parametrize("name", _admin_pages())
def test_every_role_on_the_administration_site(scene: Scene, name: str) -> None:
    declared = NAMESPACE_ACCESS["admin"]
    url = reverse(name)
    outcomes = {role: _call(scene, role, "get", url) for role in ROLE_LOGINS}

    wrong = {
        role: outcome
        for role, outcome in outcomes.items()
        if _wrong(outcome, "get", expected_refused=_expected_refused(declared, role))
    }
    assert wrong == {}, outcomes
