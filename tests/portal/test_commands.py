"""``amiable manage portal_link`` prints a working link; ``promises_scan`` says
what it did."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tests.portal.conftest import Someone


@pytest.mark.django_db
def test_the_printed_link_opens_the_customers_order(alice: Someone) -> None:
    out = StringIO()

    call_command(
        "portal_link",
        str(alice.customer.pk),
        "--page",
        "order",
        "--id",
        str(alice.order.pk),
        stdout=out,
    )
    url = out.getvalue().strip()
    path = url.removeprefix("http://127.0.0.1:8000")
    response = Client().get(path)

    assert url.startswith("http://127.0.0.1:8000/portal/l/")
    assert response["Location"] == f"/portal/orders/{alice.order.pk}/"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [(["999999"], "no customer 999999"), (["{pk}", "--page", "case"], "--id")],
)
@pytest.mark.django_db
def test_bad_arguments_are_one_readable_line(
    alice: Someone, arguments: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        call_command(
            "portal_link", *[a.format(pk=alice.customer.pk) for a in arguments]
        )


@pytest.mark.django_db
def test_the_scan_command_reports_its_work(db: None) -> None:
    out = StringIO()

    call_command("promises_scan", stdout=out)

    assert out.getvalue().strip() == (
        "Promises broken: 0; at risk: 0; customers warned: 0"
    )
