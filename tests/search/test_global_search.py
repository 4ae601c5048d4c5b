"""The global search (page header, results page, ``GET /api/v1/search``): what it
finds for every spelling of a phone number, a reference, an order number; what each
role may see; and a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from amiable.accounts.models import Role, Team, User
from amiable.accounts.services import token_create
from amiable.audit.models import AuditEvent
from amiable.cases.models import Case
from amiable.cases.references import format_reference
from amiable.cases.selectors import global_search
from amiable.cases.selectors.search import case_references_for
from amiable.commerce.models import Order
from amiable.core.clock import now
from amiable.customers.models import Customer, IdentityKind
from amiable.customers.selectors import CustomerFilters, customer_list
from tests.factories import (
    CaseFactory,
    CustomerFactory,
    IdentityFactory,
    OrderFactory,
    TeamFactory,
    UserFactory,
)

PHONE_SPELLINGS = [
    "06 16 80 63 13",
    "0616806313",
    "06.16.80.63.13",
    "+33 6 16 80 63 13",
    "+33616806313",
    "0033616806313",
    "0033 6 16 80 63 13",
]


@dataclass(frozen=True)
class World:
    customer: Customer
    case: Case
    other_team_case: Case
    order: Order


@pytest.fixture
def world(search_team: Team) -> World:
    customer = CustomerFactory.create(name="Lucienne Brabant")
    IdentityFactory.create(
        customer=customer,
        kind=IdentityKind.PHONE,
        value="06 16 80 63 13",
        normalized="+33616806313",
    )
    IdentityFactory.create(
        customer=customer,
        value="Lucienne.Brabant@Exemple.fr",
        normalized="lucienne.brabant@exemple.fr",
    )
    year = now().year
    case = CaseFactory.create(
        customer=customer,
        team=search_team,
        reference=format_reference(year, 123),
        subject="Colis jamais arrivé",
    )
    other_team_case = CaseFactory.create(
        customer=customer,
        team=TeamFactory.create(name="Litiges lointains"),
        reference=format_reference(year, 124),
        subject="Remboursement en attente",
    )
    order = OrderFactory.create(customer=customer, external_ref="CMD-778899")
    CustomerFactory.create(name="Marc Petit")
    return World(
        customer=customer, case=case, other_team_case=other_team_case, order=order
    )


@pytest.mark.parametrize("spelling", PHONE_SPELLINGS)
def test_every_spelling_of_a_phone_number_finds_its_owner_and_their_cases(
    world: World, team_agent: User, spelling: str
) -> None:
    results = global_search(actor=team_agent, text=spelling)

    assert [customer.pk for customer in results.customers] == [world.customer.pk]
    assert [case.pk for case in results.cases] == [world.case.pk]
    assert results.orders == []


@pytest.mark.parametrize("spelling", PHONE_SPELLINGS)
def test_the_customer_list_finds_every_spelling_of_a_phone_number(
    world: World, team_agent: User, spelling: str
) -> None:
    found = customer_list(actor=team_agent, filters=CustomerFilters(text=spelling))

    assert [customer.pk for customer in found] == [world.customer.pk]


@pytest.mark.parametrize(
    "text", ["lucienne.brabant@exemple.fr", " LUCIENNE.Brabant@exemple.FR "]
)
def test_an_email_in_any_case_finds_its_owner(
    world: World, team_agent: User, text: str
) -> None:
    results = global_search(actor=team_agent, text=text)

    assert [customer.pk for customer in results.customers] == [world.customer.pk]
    assert [case.pk for case in results.cases] == [world.case.pk]


@pytest.mark.parametrize(
    ("text", "year_offset", "numbers"),
    [
        ("C-{year}-000123", 0, [123]),
        ("c-{year}-123", 0, [123]),
        ("{year}-000123", 0, [123]),
        ("C {year} - 123", 0, [123]),
    ],
)
def test_a_reference_with_its_year_is_one_exact_reference(
    text: str, year_offset: int, numbers: list[int]
) -> None:
    year = now().year
    assert case_references_for(text.format(year=year), year=year) == [
        format_reference(year - year_offset, number) for number in numbers
    ]


@pytest.mark.parametrize("text", ["123", "000123", "C-123", "c123"])
def test_a_number_alone_stands_for_that_number_in_the_last_five_years(
    text: str,
) -> None:
    assert case_references_for(text, year=2026) == [
        "C-2026-000123",
        "C-2025-000123",
        "C-2024-000123",
        "C-2023-000123",
        "C-2022-000123",
    ]


@pytest.mark.parametrize("text", ["", "0", "bonjour", "1234567", "C-20-1-2"])
def test_other_text_is_no_reference(text: str) -> None:
    assert case_references_for(text, year=2026) == []


@pytest.mark.parametrize("template", ["C-{year}-000123", "{year}-123", "123"])
def test_a_reference_finds_its_case(
    world: World, team_agent: User, template: str
) -> None:
    results = global_search(actor=team_agent, text=template.format(year=now().year))

    assert [case.pk for case in results.cases] == [world.case.pk]


@pytest.mark.parametrize("text", ["CMD-778899", "cmd-778899"])
def test_an_order_number_finds_its_order(
    world: World, team_agent: User, text: str
) -> None:
    results = global_search(actor=team_agent, text=text)

    assert [order.pk for order in results.orders] == [world.order.pk]


def test_words_find_names_and_subjects(world: World, team_agent: User) -> None:
    by_name = global_search(actor=team_agent, text="brabant")
    by_subject = global_search(actor=team_agent, text="colis arrivé")

    assert [customer.pk for customer in by_name.customers] == [world.customer.pk]
    assert [case.pk for case in by_name.cases] == [world.case.pk]
    assert [case.pk for case in by_subject.cases] == [world.case.pk]
    assert by_subject.customers == []


@pytest.mark.parametrize("text", ["", "   ", "zzzz introuvable", "07 00 00 00 00"])
def test_nothing_matching_finds_nothing(
    world: World, team_agent: User, text: str
) -> None:
    assert global_search(actor=team_agent, text=text).is_empty


@pytest.mark.parametrize(
    ("role", "team_name", "sees"),
    [
        (Role.AGENT, "Recherche", {"case"}),
        (Role.AGENT, "Ailleurs", set()),
        (Role.SUPERVISOR, "Recherche", {"case"}),
        (Role.QUALITY_MANAGER, None, {"case", "other_team_case"}),
        (Role.ADMIN, None, {"case", "other_team_case"}),
    ],
)
def test_cases_are_scoped_by_what_the_role_may_see(
    world: World, role: str, team_name: str | None, sees: set[str]
) -> None:
    team = TeamFactory.create(name=team_name) if team_name else None
    actor = UserFactory.create(username="who", role=role, team=team, password=None)

    results = global_search(actor=actor, text="0616806313")

    expected = {getattr(world, name).pk for name in sees}
    assert {case.pk for case in results.cases} == expected
    assert [customer.pk for customer in results.customers] == [world.customer.pk]


def _page_queries(
    client: Client, text: str, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    # The session, the user, the nav badges, then at most five lookups (identity
    # owner, names, the owner's cases, cases by words, orders by number).
    with django_assert_max_num_queries(9):
        response = client.get(reverse("cases:search"), {"q": text})
    assert response.status_code == 200


def test_the_results_page_costs_a_fixed_number_of_queries(
    world: World,
    team_agent: User,
    search_team: Team,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = Client()
    client.force_login(team_agent)
    _page_queries(client, "0616806313", django_assert_max_num_queries)
    CaseFactory.create_batch(15, customer=world.customer, team=search_team)
    OrderFactory.create_batch(3, customer=world.customer)

    _page_queries(client, "0616806313", django_assert_max_num_queries)
    _page_queries(client, "brabant", django_assert_max_num_queries)
    response = client.get(reverse("cases:search"), {"q": "0616806313"})
    assert len(response.context["results"].cases) == 10


def test_the_results_page_groups_by_kind(world: World, team_agent: User) -> None:
    client = Client()
    client.force_login(team_agent)

    response = client.get(reverse("cases:search"), {"q": "06 16 80 63 13"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="search-cases"' in html
    assert world.case.reference in html
    assert world.other_team_case.reference not in html
    assert reverse("customers:detail", args=[world.customer.pk]) in html
    assert 'value="06 16 80 63 13"' in html


@pytest.mark.parametrize(
    ("text", "testid"),
    [("", "search-empty"), ("zzzz introuvable", "search-no-result")],
)
def test_the_results_page_explains_an_empty_box_and_no_result(
    world: World, team_agent: User, text: str, testid: str
) -> None:
    client = Client()
    client.force_login(team_agent)

    response = client.get(reverse("cases:search"), {"q": text})

    assert response.status_code == 200
    assert f'data-testid="{testid}"' in response.content.decode()


def test_the_header_has_the_search_box_for_staff(team_agent: User) -> None:
    client = Client()
    client.force_login(team_agent)

    html = client.get(reverse("cases:inbox")).content.decode()

    assert 'data-testid="header-search"' in html
    assert f'action="{reverse("cases:search")}"' in html


def test_anonymous_visitors_are_sent_to_the_login_page(world: World) -> None:
    response = Client().get(reverse("cases:search"), {"q": "0616806313"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_the_search_writes_nothing(world: World, team_agent: User) -> None:
    client = Client()
    client.force_login(team_agent)
    before = AuditEvent.objects.count()

    client.get(reverse("cases:search"), {"q": "0616806313"})

    assert AuditEvent.objects.count() == before


def test_the_api_answers_the_same_groups(world: World, team_agent: User) -> None:
    client = _api_client(team_agent)

    response = client.get("/api/v1/search", {"q": "+33 6 16 80 63 13"})

    assert response.status_code == 200
    body = response.json()
    assert body["q"] == "+33 6 16 80 63 13"
    assert [case["reference"] for case in body["cases"]] == [world.case.reference]
    assert [customer["id"] for customer in body["customers"]] == [world.customer.pk]
    assert body["orders"] == []


def _api_client(user: User) -> Client:
    token = token_create(actor=user, user=user, name="search").plaintext
    return Client(headers={"Authorization": f"Bearer {token}"})


def test_the_api_finds_an_order_by_number(world: World, team_agent: User) -> None:
    body = _api_client(team_agent).get("/api/v1/search", {"q": "cmd-778899"}).json()

    assert body["orders"] == [
        {
            "id": world.order.pk,
            "external_ref": "CMD-778899",
            "customer": {"id": world.customer.pk, "name": "Lucienne Brabant"},
            "placed_at": body["orders"][0]["placed_at"],
            "status": world.order.status,
        }
    ]


def test_the_api_hides_other_teams_cases(world: World, outside_agent: User) -> None:
    body = _api_client(outside_agent).get("/api/v1/search", {"q": "0616806313"}).json()

    assert body["cases"] == []
    assert [customer["id"] for customer in body["customers"]] == [world.customer.pk]


def test_the_api_refuses_anonymous_callers(world: World) -> None:
    response = Client().get("/api/v1/search", {"q": "0616806313"})

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_the_api_refuses_a_text_too_long(team_agent: User) -> None:
    response = _api_client(team_agent).get("/api/v1/search", {"q": "x" * 201})

    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["q"]
