"""The « new case » form for calls, letters and walk-ins: a case for a customer
found inline or registered in the same transaction, opened through the services."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from amiable.accounts.models import User
from amiable.audit.models import AuditEvent
from amiable.cases.models import Case
from amiable.cases.services import NewCustomerIn, case_open_for_contact
from amiable.conversations.models import Channel, Direction, Interaction
from amiable.core.errors import ValidationError
from amiable.customers.errors import IdentityTakenError
from amiable.customers.models import Customer, Identity, IdentityKind
from tests.factories import CustomerFactory, IdentityFactory, OrderFactory

HTMX = {"HX-Request": "true"}


def _form(**fields: Any) -> dict[str, Any]:
    return {
        "channel": "phone",
        "lookup": "",
        "customer": "",
        "new_name": "Armelle Quéré",
        "new_kind": "person",
        "new_language": "fr",
        "new_email": "",
        "new_phone": "06 16 80 63 13",
        "subject": "Carte cadeau non reçue",
        "kind": "question",
        "body_text": "Appel : la carte cadeau commandée n'est pas arrivée.",
        "order_ref": "",
        "assign_to_me": "on",
        "action": "open",
        **fields,
    }


@pytest.mark.parametrize("channel", [Channel.PHONE, Channel.LETTER, Channel.IN_PERSON])
def test_a_case_for_a_new_customer_is_opened_in_one_go(
    agent: User, channel: str
) -> None:
    case = case_open_for_contact(
        actor=agent,
        channel=channel,
        subject="Carte cadeau non reçue",
        body_text="Pas reçue.",
        new_customer=NewCustomerIn(name="Armelle Quéré", phone="0033616806313"),
    )

    message = Interaction.objects.get(case=case)
    assert (case.channel, case.assignee, case.team) == (channel, agent, agent.team)
    assert case.customer.name == "Armelle Quéré"
    assert list(case.customer.identities.values_list("normalized", flat=True)) == [
        "+33616806313"
    ]
    assert (message.channel, message.direction, message.body_text) == (
        channel,
        Direction.INBOUND,
        "Pas reçue.",
    )
    assert sorted(AuditEvent.objects.values_list("action", flat=True)) == [
        "case.open",
        "customer.create",
        "identity.add",
        "interaction.record",
    ]


def test_a_taken_phone_rolls_everything_back(agent: User) -> None:
    IdentityFactory.create(
        kind=IdentityKind.PHONE, value="+33616806313", normalized="+33616806313"
    )

    with pytest.raises(IdentityTakenError) as raised:
        case_open_for_contact(
            actor=agent,
            channel=Channel.PHONE,
            subject="Sujet",
            body_text="Texte",
            new_customer=NewCustomerIn(
                name="Armelle Quéré", email="a@exemple.fr", phone="0616806313"
            ),
        )

    assert raised.value.extra["kind"] == "phone"
    assert not Customer.objects.filter(name="Armelle Quéré").exists()
    assert not Identity.objects.filter(normalized="a@exemple.fr").exists()
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"channel": Channel.EMAIL}, "channel"),
        ({"body_text": "  "}, "body_text"),
        ({"customer": None, "new_customer": None}, "customer"),
    ],
)
def test_the_service_refuses_what_is_not_a_staff_contact(
    agent: User, fields: dict[str, Any], field: str
) -> None:
    arguments: dict[str, Any] = {
        "channel": Channel.PHONE,
        "subject": "Sujet",
        "body_text": "Texte",
        "customer": CustomerFactory.create(),
    } | fields

    with pytest.raises(ValidationError) as raised:
        case_open_for_contact(actor=agent, **arguments)

    assert list(raised.value.fields) == [field]
    assert Case.objects.count() == 0


def test_the_form_opens_a_phone_case_and_goes_to_its_page(
    web_client: Client, agent: User
) -> None:
    response = web_client.post(reverse("cases:create"), _form())

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert (case.subject, case.channel, case.assignee) == (
        "Carte cadeau non reçue",
        "phone",
        agent,
    )
    assert case.customer.identities.get().normalized == "+33616806313"


def test_the_form_opens_a_letter_case_for_a_picked_customer_and_order(
    web_client: Client,
) -> None:
    customer = CustomerFactory.create(name="Yves Le Bihan")
    order = OrderFactory.create(customer=customer, external_ref="CMD-424242")

    web_client.post(
        reverse("cases:create"),
        _form(channel="letter", customer=str(customer.pk), order_ref="cmd-424242"),
    )

    case = Case.objects.get()
    assert (case.customer, case.channel) == (customer, "letter")
    assert list(case.orders.all()) == [order]
    assert Customer.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"new_phone": "06 16"},
            "new_phone",
            "Saisissez un numéro de téléphone valide.",
        ),
        ({"new_email": "x@"}, "new_email", "Saisissez une adresse e-mail valide."),
        ({"new_name": ""}, "new_name", "Choisissez un client trouvé ci-dessus"),
        ({"subject": ""}, "subject", "Ce champ est obligatoire."),
        ({"order_ref": "CMD-000"}, "order_ref", "Commande inconnue."),
    ],
)
def test_a_refused_form_says_why_and_keeps_the_input(
    web_client: Client, fields: dict[str, str], field: str, message: str
) -> None:
    response = web_client.post(
        reverse("cases:create"), _form(body_text="Texte gardé tel quel", **fields)
    )

    assert response.status_code == 422
    assert message in " ".join(response.context["form"].errors[field])
    assert "Texte gardé tel quel" in response.content.decode()
    assert Case.objects.count() == 0
    assert Customer.objects.count() == 0


def test_an_order_of_another_customer_is_refused(web_client: Client) -> None:
    customer = CustomerFactory.create()
    OrderFactory.create(external_ref="CMD-999")

    response = web_client.post(
        reverse("cases:create"), _form(customer=str(customer.pk), order_ref="CMD-999")
    )

    assert response.status_code == 422
    assert response.context["form"].errors["order_ref"] == ["CMD-999"]
    assert Case.objects.count() == 0


@pytest.mark.parametrize("text", ["06 16 80 63 13", "+33616806313", "quéré"])
def test_the_inline_lookup_finds_the_customer(
    web_client: Client,
    text: str,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    customer = CustomerFactory.create(name="Armelle Quéré")
    IdentityFactory.create(
        customer=customer,
        kind=IdentityKind.PHONE,
        value="06 16 80 63 13",
        normalized="+33616806313",
    )
    CustomerFactory.create_batch(5)

    with django_assert_max_num_queries(6):
        response = web_client.get(
            reverse("cases:customer_lookup"), {"lookup": text}, headers=HTMX
        )

    html = response.content.decode()
    assert response.status_code == 200
    assert f'name="customer" value="{customer.pk}"' in html
    assert html.count('data-testid="customer-match"') == 1
    assert "<html" not in html


def test_the_enter_key_looks_up_without_opening_a_case(web_client: Client) -> None:
    customer = CustomerFactory.create(name="Armelle Quéré")

    response = web_client.post(
        reverse("cases:create"), _form(action="lookup", lookup="quéré")
    )

    assert response.status_code == 200
    assert f'name="customer" value="{customer.pk}"' in response.content.decode()
    assert Case.objects.count() == 0


def test_the_customer_page_link_picks_the_customer(web_client: Client) -> None:
    customer = CustomerFactory.create(name="Armelle Quéré")

    response = web_client.get(reverse("cases:create"), {"customer": customer.pk})

    assert f'name="customer" value="{customer.pk}" checked' in response.content.decode()


@pytest.mark.parametrize(
    "role", ["agent", "other_agent", "supervisor", "quality_manager", "admin_user"]
)
def test_every_staff_role_may_open_a_case(
    request: pytest.FixtureRequest, role: str
) -> None:
    user: User = request.getfixturevalue(role)
    client = Client()
    client.force_login(user)

    response = client.post(reverse("cases:create"), _form())

    case = Case.objects.get()
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.assignee == user


@pytest.mark.parametrize("name", ["cases:create", "cases:customer_lookup"])
def test_anonymous_visitors_are_sent_to_login_and_write_nothing(
    db: None, name: str
) -> None:
    response = Client().post(reverse(name), _form())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))
    assert Case.objects.count() == 0
    assert Customer.objects.count() == 0
