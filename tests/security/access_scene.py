"""The scene of the access matrix: the demo data, one client per role, real ids."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db.models import Model
from django.test import Client

from amiable.accounts.models import ApiToken, Team, User
from amiable.accounts.services import token_create
from amiable.audit.models import AuditEvent
from amiable.cases.models import Case, CaseCategory, CaseMerge, CustomField, RootCause
from amiable.cases.models.routing import RoutingRule
from amiable.cases.models.sla import SlaPolicy
from amiable.commerce.models import Order, Product, Shipment
from amiable.conversations.models import Attachment, Interaction, OutboxMessage
from amiable.core.clock import now
from amiable.customers.models import CustomerMerge
from amiable.disputes.models import Dispute, Proposal
from amiable.events.models import DomainEvent
from amiable.gestures.models.catalogue import GestureType
from amiable.gestures.models.gestures import Gesture
from amiable.gestures.models.price_protection import PriceDropCampaign
from amiable.inbound.models import InboundEmail, Review, WebhookSource
from amiable.jobs.models import ImportJob
from amiable.macros.models import Macro
from amiable.portal.sessions import SESSION_CUSTOMER, SESSION_GENERATION, SESSION_UNTIL
from amiable.portal.signing import links_generation
from amiable.privacy.models import DataRequest
from amiable.promises.models import Promise
from amiable.quality.models import Incident, IncidentBulkAction, Problem
from amiable.sla.models import BusinessCalendar

# The roles of the matrix, each a demo login (None: no credentials at all; the
# customer is signed in to the portal).
ROLE_LOGINS: dict[str, str | None] = {
    "anonymous": None,
    "customer": None,
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
    case: Case
    # Session keys: a staff member signed in to the web UI, the customer to the portal.
    sessions: dict[str, str]


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
    sessions: dict[str, str] = {}
    for role, login in ROLE_LOGINS.items():
        if login is None:
            continue
        user = User.objects.get(username=login)
        issued = token_create(actor=None, user=user, name="access matrix")
        clients[role] = Client(headers={"Authorization": f"Bearer {issued.plaintext}"})
        sessions[role] = _session_key(user=user)
    case = (
        Case.objects.filter(
            team__name=TEAM, customer__orders__isnull=False, interactions__isnull=False
        )
        .order_by("pk")
        .first()
    )
    assert case is not None, "the demo has a case of the agent's team"
    path_values = {name: find(case) for name, find in values.items()}
    sessions["customer"] = _session_key(customer_id=case.customer_id)
    customer = Client()
    customer.cookies[settings.SESSION_COOKIE_NAME] = sessions["customer"]
    clients["customer"] = customer
    return Scene(clients=clients, path_values=path_values, case=case, sessions=sessions)


def _session_key(*, user: User | None = None, customer_id: int | None = None) -> str:
    """A stored session of ``user`` (the web UI) or of a portal customer."""
    session = SessionStore()
    if user is not None:
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if customer_id is not None:
        session[SESSION_CUSTOMER] = customer_id
        session[SESSION_UNTIL] = (now() + dt.timedelta(hours=1)).isoformat()
        session[SESSION_GENERATION] = links_generation(customer_id)
    session.create()
    return str(session.session_key)


def writes_fingerprint() -> tuple[int, int, int, int]:
    """Counts that any state change moves (every service audits or emits)."""
    return (
        AuditEvent.objects.count(),
        DomainEvent.objects.count(),
        Interaction.objects.count(),
        ApiToken.objects.count() + Team.objects.count(),
    )


# The value of each path parameter of the API, found from the scene's case.
PATH_VALUES: dict[str, Callable[[Case], str]] = {
    "case_id": lambda case: str(case.pk),
    "customer_id": lambda case: str(case.customer_id),
    "interaction_id": lambda case: first_pk(Interaction, case=case),
    "order_id": lambda case: first_pk(Order, customer=case.customer),
    "promise_id": lambda case: first_pk(Promise, case__team=case.team),
    "gesture_id": lambda case: first_pk(Gesture, case__team=case.team),
    "dispute_id": lambda case: first_pk(Dispute),
    "review_id": lambda case: first_pk(Review),
    "product_id": lambda case: first_pk(Product),
    "shipment_id": lambda case: first_pk(Shipment),
    "calendar_id": lambda case: first_pk(BusinessCalendar),
    "type_id": lambda case: first_pk(GestureType),
    "team_id": lambda case: str(case.team_id),
    "rule_id": lambda case: first_pk(RoutingRule),
    "policy_id": lambda case: first_pk(SlaPolicy),
    "merge_id": lambda case: first_pk(CustomerMerge),
    "case_merge_id": lambda case: first_pk(CaseMerge, target__team=case.team),
    "incident_id": lambda case: first_pk(Incident),
    "email_id": lambda case: first_pk(InboundEmail),
    "campaign_id": lambda case: first_pk(PriceDropCampaign),
    "token_id": lambda case: "1",
    "problem_id": lambda case: first_pk(Problem),
    "action_id": lambda case: first_pk(IncidentBulkAction),
    "proposal_id": lambda case: first_pk(Proposal),
    "entry_id": lambda case: first_pk(CaseCategory),
    "attachment_id": lambda case: first_pk(Attachment, interaction__case=case),
    "macro_id": lambda case: first_pk(Macro),
    "field_id": lambda case: first_pk(CustomField),
    "job_id": lambda case: first_pk(ImportJob),
    "data_request_id": lambda case: first_pk(DataRequest),
    "outbox_id": lambda case: first_pk(OutboxMessage),
    # Ids named in request bodies: real rows, so that a refused role meets the
    # permission check and not a « no such row » (PostgreSQL's sequences do not
    # restart at 1 between tests).
    "gesture_type_id": lambda case: first_pk(GestureType),
    "root_cause_id": lambda case: first_pk(RootCause),
    "assignee_id": lambda case: first_pk(User, username="superviseur"),
    "source": lambda case: str(
        WebhookSource.objects.order_by("pk").values_list("slug", flat=True).first()
    ),
}
