"""The scene of the access matrix: the demo data, one client per role, real ids."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model
from django.test import Client

from amiable.accounts.models import ApiToken, Team, User
from amiable.accounts.services import token_create
from amiable.audit.models import AuditEvent
from amiable.cases.models import Case
from amiable.conversations.models import Interaction
from amiable.events.models import DomainEvent

# The roles of the matrix, each a demo login (None: no credentials at all).
ROLE_LOGINS: dict[str, str | None] = {
    "anonymous": None,
    "agent": "agent",  # team « Service client », owner of the scene's case
    "other_agent": "hugo",  # team « Réclamations »
    "supervisor": "superviseur",  # supervisor of « Service client »
    "quality_manager": "qualite",
    "admin": "admin",
}
TEAM = "Service client"
MISSING_ID = 999_999


@dataclass(frozen=True)
class Scene:
    clients: dict[str, Client]
    path_values: dict[str, str]


def first_pk(model: type[Model], **filters: object) -> str:
    """The id of the first row matching ``filters``, else an id no row has."""
    row = model._default_manager.filter(**filters).order_by("pk").first()
    return str(row.pk) if row is not None else str(MISSING_ID)


def scene_build(values: dict[str, Callable[[Case], str]]) -> Scene:
    """Bearer clients per role and the value of each path parameter.

    ``values`` maps a path parameter to how it is found from the scene's case (a case
    of the agent's team, with a customer, an order and messages).
    """
    clients = {"anonymous": Client()}
    for role, login in ROLE_LOGINS.items():
        if login is None:
            continue
        user = User.objects.get(username=login)
        issued = token_create(actor=None, user=user, name="access matrix")
        clients[role] = Client(headers={"Authorization": f"Bearer {issued.plaintext}"})
    case = (
        Case.objects.filter(
            team__name=TEAM, customer__orders__isnull=False, interactions__isnull=False
        )
        .order_by("pk")
        .first()
    )
    assert case is not None, "the demo has a case of the agent's team"
    path_values = {name: find(case) for name, find in values.items()}
    return Scene(clients=clients, path_values=path_values)


def writes_fingerprint() -> tuple[int, int, int, int]:
    """Counts that any state change moves (every service audits or emits)."""
    return (
        AuditEvent.objects.count(),
        DomainEvent.objects.count(),
        Interaction.objects.count(),
        ApiToken.objects.count() + Team.objects.count(),
    )
