"""Following an import job: the page (refreshed by htmx while it runs) and
``GET /api/v1/tracking/imports/{id}``, per role; nothing leaks, nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from amiable.accounts.models import User
from amiable.audit.models import AuditEvent
from amiable.commerce.services import TRACKING_IMPORT
from amiable.jobs.models import ImportJob
from amiable.jobs.services import import_job_create, import_job_run
from tests.jobs.test_imports import tracking_csv

ROLES = ["anonymous", "agent", "other_agent", "supervisor", "quality_manager", "admin"]
PAGE_STATUS = {
    "anonymous": 302,
    "agent": 403,
    "other_agent": 403,
    "supervisor": 200,
    "quality_manager": 200,
    "admin": 200,
}
API_STATUS = {**PAGE_STATUS, "anonymous": 401}


@pytest.fixture
def job(supervisor: User) -> ImportJob:
    created = import_job_create(
        actor=supervisor,
        kind=TRACKING_IMPORT,
        content=tracking_csv(5),
        source_name="colis.csv",
    )
    return import_job_run(job_id=created.pk)


@pytest.fixture
def user_of(request: pytest.FixtureRequest) -> Callable[[str], User | None]:
    def get(role: str) -> User | None:
        if role == "anonymous":
            return None
        name = "admin_user" if role == "admin" else role
        user: User = request.getfixturevalue(name)
        return user

    return get


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.django_db
def test_the_page_shows_the_job_to_supervisors_and_above_only(
    role: str, job: ImportJob, user_of: Callable[[str], User | None]
) -> None:
    client = Client()
    user = user_of(role)
    if user is not None:
        client.force_login(user)
    audits = AuditEvent.objects.count()

    response = client.get(f"/imports/{job.pk}/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == PAGE_STATUS[role]
    assert ("colis.csv" in response.content.decode()) is (PAGE_STATUS[role] == 200)
    assert AuditEvent.objects.count() == audits


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.django_db
def test_the_api_shows_the_job_to_supervisors_and_above_only(
    role: str,
    job: ImportJob,
    user_of: Callable[[str], User | None],
    token_for: Callable[[User], str],
) -> None:
    user = user_of(role)
    headers = {"Authorization": f"Bearer {token_for(user)}"} if user else {}

    response = Client(headers=headers).get(f"/api/v1/tracking/imports/{job.pk}")

    assert response.status_code == API_STATUS[role]
    assert ("colis.csv" in response.content.decode()) is (API_STATUS[role] == 200)


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        (
            "en",
            [
                "Carrier tracking file",
                "Finished",
                "5 of 5 rows (100 %)",
                "quarantined: 5",
            ],
        ),
        (
            "fr",
            [
                "Fichier de suivi transporteur",
                "Terminé",
                "5 lignes sur 5 (100 %)",
                "mis en quarantaine : 5",
            ],
        ),
    ],
)
@pytest.mark.django_db
def test_the_page_says_how_far_the_job_got_in_the_reader_s_language(
    job: ImportJob,
    supervisor: User,
    language: str,
    texts: list[str],
    django_assert_max_num_queries: Any,
) -> None:
    client = Client()
    client.force_login(supervisor)

    with django_assert_max_num_queries(12):
        response = client.get(f"/imports/{job.pk}/", HTTP_ACCEPT_LANGUAGE=language)

    page = response.content.decode()
    assert [text for text in texts if text not in page] == []
    assert 'hx-trigger="every 2s"' not in page  # finished: no more polling


@pytest.mark.django_db
def test_a_running_job_polls_and_htmx_gets_the_progress_only(
    supervisor: User,
) -> None:
    job = import_job_create(
        actor=supervisor,
        kind=TRACKING_IMPORT,
        content=tracking_csv(3),
        source_name="colis.csv",
    )
    client = Client()
    client.force_login(supervisor)

    full = client.get(f"/imports/{job.pk}/").content.decode()
    partial = client.get(f"/imports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()

    assert 'hx-trigger="every 2s"' in full
    assert partial.lstrip().startswith('<section id="import-progress"')
    assert "<html" not in partial


@pytest.mark.django_db
def test_an_unknown_job_is_404(
    supervisor: User, token_for: Callable[[User], str]
) -> None:
    client = Client(headers={"Authorization": f"Bearer {token_for(supervisor)}"})
    client.force_login(supervisor)

    api = client.get("/api/v1/tracking/imports/999999")
    page = client.get("/imports/999999/")

    assert (api.status_code, api.json()["code"]) == (404, "not_found")
    assert page.status_code == 404
