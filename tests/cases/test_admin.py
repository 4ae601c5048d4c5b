"""Administrators configure calendars, taxonomies, SLA policies and routing in the
admin; every save goes through the services (validated, versioned, audited)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from amiable.accounts.models import Role, Team, User
from amiable.audit.models import AuditEvent
from amiable.cases.models import RootCause, SlaPolicy, TeamRouting
from amiable.sla.models import BusinessCalendar, CalendarVersion
from tests.factories import UserFactory
from tests.factories.cases import RootCauseFactory

CHANGELISTS = [
    "sla_businesscalendar",
    "cases_rootcause",
    "cases_casecategory",
    "cases_slapolicy",
    "cases_routingrule",
    "cases_teamrouting",
    "cases_caseescalation",
    "cases_slaclock",
]


@pytest.fixture
def admin_client(db: None) -> Client:
    client = Client()
    client.force_login(
        UserFactory.create(username="boss", role=Role.ADMIN, team=None, is_staff=True)
    )
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("name", CHANGELISTS)
def test_every_configuration_list_opens(admin_client: Client, name: str) -> None:
    assert admin_client.get(reverse(f"admin:{name}_changelist")).status_code == 200
    assert admin_client.get(
        reverse(f"admin:{name}_changelist") + "?q=x"
    ).status_code in {
        200,
        302,
    }


@pytest.mark.django_db
def test_a_calendar_typed_as_text_is_saved_as_version_one(
    admin_client: Client, team: Team
) -> None:
    response = admin_client.post(
        reverse("admin:sla_businesscalendar_add"),
        {
            "name": "Metz",
            "team": str(team.pk),
            "time_zone": "Europe/Paris",
            "holiday_region": "57",
            "hours": "lun-ven 09:00-12:30 13:30-18:00",
            "exception_days": "2026-05-15 fermé Pont de l’Ascension",
            "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0",
        },
    )

    calendar = BusinessCalendar.objects.get(name="Metz")
    assert response.status_code == 302
    assert (calendar.team, calendar.version, calendar.holiday_region) == (team, 1, "57")
    assert calendar.exceptions.get().label == "Pont de l’Ascension"
    assert CalendarVersion.objects.get(calendar=calendar).definition[
        "closed_dates"
    ] == ["2026-05-15"]
    assert AuditEvent.objects.filter(action="calendar.save").count() == 1


@pytest.mark.django_db
def test_a_bad_calendar_is_shown_again_with_the_error(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("admin:sla_businesscalendar_add"),
        {
            "name": "Nuit",
            "time_zone": "Europe/Paris",
            "holiday_region": "",
            "hours": "mon 09:00-13:00 12:00-18:00",
            "exception_days": "",
            "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "Opening intervals overlap on weekday 0" in response.content.decode()
    assert "mon 09:00-13:00 12:00-18:00" in response.content.decode()
    assert not BusinessCalendar.objects.filter(name="Nuit").exists()


@pytest.mark.django_db
def test_editing_a_calendar_shows_its_text_and_makes_version_two(
    admin_client: Client,
) -> None:
    default = BusinessCalendar.objects.get(is_default=True)
    url = reverse("admin:sla_businesscalendar_change", args=[default.pk])

    page = admin_client.get(url).content.decode()
    admin_client.post(
        url,
        {
            "name": default.name,
            "is_default": "on",
            "time_zone": "Europe/Paris",
            "holiday_region": "",
            "hours": "mon-fri 08:00-20:00",
            "exception_days": "",
            "versions-TOTAL_FORMS": "1",
            "versions-INITIAL_FORMS": "1",
        },
    )

    default.refresh_from_db()
    assert "mon-fri 09:00-18:00" in page
    assert (default.version, default.opening_hours[0]) == (2, [0, "08:00", "20:00"])


@pytest.mark.django_db
def test_root_causes_two_levels_only(admin_client: Client) -> None:
    family = RootCauseFactory.create(code="logistics")
    child = RootCauseFactory.create(code="carrier-delay", parent=family)

    refused = admin_client.post(
        reverse("admin:cases_rootcause_add"),
        {"code": "deep", "name_fr": "Trop", "name_en": "Deep", "parent": str(child.pk)},
    )
    accepted = admin_client.post(
        reverse("admin:cases_rootcause_add"),
        {
            "code": "wrong-address",
            "name_fr": "Adresse erronée",
            "name_en": "Wrong address",
            "parent": str(family.pk),
            "is_active": "on",
        },
    )

    assert refused.status_code == 200
    assert accepted.status_code == 302
    assert RootCause.objects.get(code="wrong-address").parent == family
    assert not RootCause.objects.filter(code="deep").exists()
    assert AuditEvent.objects.filter(action="rootcause.save").count() == 1


@pytest.mark.django_db
def test_an_sla_policy_needs_a_target(admin_client: Client) -> None:
    base = {"name": "Vide", "position": "10", "at_risk_percent": "75"}

    refused = admin_client.post(reverse("admin:cases_slapolicy_add"), base)
    accepted = admin_client.post(
        reverse("admin:cases_slapolicy_add"),
        {
            **base,
            "name": "Platine",
            "customer_tier": "platinum",
            "first_response_minutes": "60",
        },
    )

    assert refused.status_code == 200
    assert "Donnez au moins un objectif à la politique." in refused.content.decode()
    assert accepted.status_code == 302
    assert SlaPolicy.objects.get().name == "Platine"


@pytest.mark.django_db
def test_team_skills_are_typed_as_lists(admin_client: Client, team: Team) -> None:
    response = admin_client.post(
        reverse("admin:cases_teamrouting_add"),
        {
            "team": str(team.pk),
            "languages": "fr, EN",
            "categories": "delivery, refund",
            "assignment_mode": "least_loaded",
        },
    )

    routing = TeamRouting.objects.get(team=team)
    assert response.status_code == 302
    assert (routing.languages, routing.categories) == (
        ["en", "fr"],
        ["delivery", "refund"],
    )


@pytest.mark.django_db
def test_other_roles_cannot_configure(supervisor: User) -> None:
    User.objects.filter(pk=supervisor.pk).update(is_staff=True)
    client = Client()
    client.force_login(supervisor)

    response = client.post(
        reverse("admin:cases_slapolicy_add"),
        {
            "name": "Pirate",
            "position": "1",
            "at_risk_percent": "75",
            "first_response_minutes": "1",
        },
    )

    assert response.status_code == 403
    assert not SlaPolicy.objects.exists()
