"""Demo accounts exist only in a database marked as a demo, with its own password."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import check_password
from django.utils import translation
from pytest_django.fixtures import Settings

from amiable.accounts.models import Role, User
from amiable.cli import main
from amiable.commerce.models import Product
from amiable.customers.models import Customer
from amiable.demo.errors import NotADemoDatabaseError
from amiable.demo.models import DemoDatabase
from amiable.demo.services import demo_database_mark
from amiable.demo.staff import STAFF
from amiable.serving import StartAccess, access_banner
from tests.factories import CustomerFactory, ProductFactory, UserFactory

REFUSAL = (
    "amiable: error: This database already holds accounts or customers and is not a "
    "demo database: demo data and demo accounts only go into an empty database "
    "(set DATABASE_URL to a new one).\n"
)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The command's one-line errors are read in English, as in tests/cli."""
    with translation.override("en"):
        yield


legacy = importlib.import_module(
    "amiable.demo.migrations.0002_legacy_published_password"
)


@pytest.mark.django_db
def test_demo_marks_an_empty_database_and_prints_its_own_password(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = main(["demo", "--scale", "0.02", "--quiet"])

    out = capsys.readouterr().out
    found = re.search(
        r"Demo credentials \(this demo database only\): admin / (\S+),", out
    )
    assert status == 0
    assert found is not None
    password = found.group(1)
    mark = DemoDatabase.objects.get()
    assert password == mark.password
    assert password != legacy.PUBLISHED_PASSWORD
    assert len(password) >= 12
    assert authenticate(username="admin", password=password) is not None
    assert authenticate(username="admin", password=legacy.PUBLISHED_PASSWORD) is None
    assert sorted(User.objects.values_list("username", flat=True)) == sorted(
        row[0] for row in STAFF
    )
    assert all(user.check_password(password) for user in User.objects.all())


@pytest.mark.django_db
def test_each_demo_database_gets_another_password() -> None:
    first = demo_database_mark().password
    DemoDatabase.objects.all().delete()

    second = demo_database_mark().password

    assert first != second


@pytest.mark.django_db
def test_the_demo_password_can_be_chosen(settings: Settings) -> None:
    settings.AMIABLE_DEMO_PASSWORD = "chosen demo password"

    mark = demo_database_mark()

    assert mark.password == "chosen demo password"


@pytest.mark.django_db
def test_marking_twice_keeps_the_mark() -> None:
    first = demo_database_mark()

    second = demo_database_mark()

    assert (second.pk, second.password) == (first.pk, first.password)
    assert DemoDatabase.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("existing", ["administrator", "customer"])
def test_demo_refuses_a_database_with_real_data(
    existing: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if existing == "administrator":
        UserFactory.create(username="root", role=Role.ADMIN)
    else:
        CustomerFactory.create()
    before = (User.objects.count(), Customer.objects.count())

    status = main(["demo", "--scale", "0.02", "--quiet"])

    assert status == 1
    assert capsys.readouterr().err == REFUSAL
    assert (User.objects.count(), Customer.objects.count()) == before
    assert not DemoDatabase.objects.exists()
    with pytest.raises(NotADemoDatabaseError):
        demo_database_mark()


@pytest.mark.parametrize(
    ("access", "expected"),
    [
        (
            StartAccess(demo_password="s3cret-demo-pw", administrators=1),
            "  DEMO database: demo credentials (valid in this demo database only)\n"
            "  log in as admin / s3cret-demo-pw (agents: agent, lea, hugo… same "
            "password)\n",
        ),
        (
            StartAccess(demo_password=None, administrators=0),
            "  No administrator yet: create the first one with `amiable createadmin`"
            " (it asks for a password), then log in at http://h:1/login/\n",
        ),
        (
            StartAccess(demo_password=None, administrators=2),
            "  log in with your own account\n",
        ),
    ],
)
def test_the_banner_prints_credentials_only_for_a_demo(
    access: StartAccess, expected: str
) -> None:
    assert access_banner(access, address="http://h:1/") == expected


@pytest.mark.django_db
def test_the_published_password_of_earlier_versions_is_revoked() -> None:
    old_admin = UserFactory.create(username="admin", password=legacy.PUBLISHED_PASSWORD)
    other = UserFactory.create(username="lea", password=legacy.PUBLISHED_PASSWORD)

    legacy.published_password_close(apps, None)

    old_admin.refresh_from_db()
    other.refresh_from_db()
    assert not old_admin.has_usable_password()
    assert not DemoDatabase.objects.exists()
    # Only the account earlier versions created by themselves is touched.
    assert check_password(legacy.PUBLISHED_PASSWORD, other.password)


@pytest.mark.django_db
def test_an_earlier_demo_database_is_marked_as_a_demo() -> None:
    ProductFactory.create(sku="DEMO-001")
    old_admin = UserFactory.create(username="admin", password=legacy.PUBLISHED_PASSWORD)

    legacy.published_password_close(apps, None)

    old_admin.refresh_from_db()
    assert DemoDatabase.objects.get().password == legacy.PUBLISHED_PASSWORD
    assert old_admin.check_password(legacy.PUBLISHED_PASSWORD)
    assert Product.objects.count() == 1
