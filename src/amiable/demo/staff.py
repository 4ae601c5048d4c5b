"""The fixed part of the demo: teams, one staff user per role, the product catalogue.

These few rows go through the services (so they are audited like any other); only the
password hash is set in one statement, because hashing it once per user would cost
about half a second each. Staff accounts are made only in a database marked as a
demo (``amiable.demo.services.demo_database_mark``), with that database's own demo
password.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction

from amiable.accounts.models import Role, Team, User
from amiable.accounts.services import team_create, user_create
from amiable.commerce.models import Product
from amiable.commerce.services import product_create
from amiable.demo.models import DemoDatabase
from amiable.demo.texts import PRODUCTS

DEMO_ADMIN_USERNAME = "admin"
TEAM_SERVICE = "Service client"
TEAM_COMPLAINTS = "Réclamations"
TEAM_DISPUTES = "Litiges"
TEAM_BY_KIND = {
    "question": TEAM_SERVICE,
    "request": TEAM_SERVICE,
    "complaint": TEAM_COMPLAINTS,
    "dispute": TEAM_DISPUTES,
}

# (username, first name, last name, role, team)
STAFF: tuple[tuple[str, str, str, str, str | None], ...] = (
    (DEMO_ADMIN_USERNAME, "Alice", "Admin", Role.ADMIN, None),
    ("superviseur", "Sophie", "Laurent", Role.SUPERVISOR, TEAM_SERVICE),
    ("qualite", "Quentin", "Moreau", Role.QUALITY_MANAGER, None),
    ("agent", "Camille", "Martin", Role.AGENT, TEAM_SERVICE),
    ("lea", "Léa", "Bernard", Role.AGENT, TEAM_SERVICE),
    ("hugo", "Hugo", "Petit", Role.AGENT, TEAM_COMPLAINTS),
    ("ines", "Inès", "Garcia", Role.AGENT, TEAM_COMPLAINTS),
    ("karim", "Karim", "Benali", Role.AGENT, TEAM_DISPUTES),
    ("emma", "Emma", "Wilson", Role.AGENT, TEAM_DISPUTES),
)

DEMO_AGENT_USERNAMES = tuple(row[0] for row in STAFF if row[3] == Role.AGENT)[:3]


@dataclass(frozen=True)
class DemoStaff:
    teams: dict[str, Team]
    agents_by_team: dict[str, list[User]]
    products: list[Product]


def demo_admin_ensure(mark: DemoDatabase) -> tuple[User, bool]:
    """Create the demo administrator (with the demo password of ``mark``) if missing.

    Only a database marked as a demo has one. Returns the user and whether it was
    created. An existing user is left alone.
    """
    existing = User.objects.filter(username=DEMO_ADMIN_USERNAME).first()
    if existing is not None:
        return existing, False
    user = user_create(
        actor=None,
        username=DEMO_ADMIN_USERNAME,
        password=mark.password,
        role=Role.ADMIN,
        email="admin@example.com",
        first_name="Alice",
        last_name="Admin",
        is_superuser=True,
    )
    return user, True


@transaction.atomic
def demo_staff_ensure(mark: DemoDatabase) -> DemoStaff:
    """Create the demo teams, staff users and products that do not exist yet.

    ``mark`` is the demo mark of the database (``demo_database_mark``): demo staff
    exist only there, with its demo password.
    """
    teams: dict[str, Team] = {team.name: team for team in Team.objects.all()}
    for name in (TEAM_SERVICE, TEAM_COMPLAINTS, TEAM_DISPUTES):
        if name not in teams:
            teams[name] = team_create(actor=None, name=name)
    demo_admin_ensure(mark)
    existing = set(User.objects.values_list("username", flat=True))
    created: list[int] = []
    for username, first, last, role, team_name in STAFF:
        if username in existing:
            continue
        user = user_create(
            actor=None,
            username=username,
            password=None,
            role=role,
            team=teams[team_name] if team_name else None,
            email=f"{username}@example.com",
            first_name=first,
            last_name=last,
        )
        created.append(user.pk)
    if created:
        # One hash for every demo user: same password, a fraction of the time.
        User.objects.filter(pk__in=created).update(
            password=make_password(mark.password)
        )
    agents_by_team: dict[str, list[User]] = {name: [] for name in teams}
    usernames = [row[0] for row in STAFF]
    for user in User.objects.filter(
        username__in=usernames, role=Role.AGENT
    ).select_related("team"):
        if user.team is not None:
            agents_by_team.setdefault(user.team.name, []).append(user)
    known = set(Product.objects.values_list("sku", flat=True))
    for index, name in enumerate(PRODUCTS, start=1):
        sku = f"DEMO-{index:03d}"
        if sku not in known:
            price = Decimal(19 + (index * 37) % 180) + Decimal("0.90")
            product_create(actor=None, sku=sku, name=name, price=price)
    products = list(Product.objects.filter(sku__startswith="DEMO-").order_by("sku"))
    return DemoStaff(teams=teams, agents_by_team=agents_by_team, products=products)
