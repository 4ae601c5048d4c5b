"""Who may call an API operation or open a page, declared next to it.

Every API handler and every page view carries ``@access(RULE)``: the audiences let
through (the others are refused: 401/403/404, or the sign-in page), whether an agent
of another team is refused the team's objects it reaches, and whether it needs a
signature or a signed link instead of an account. The OpenAPI document publishes the
rule of each operation as ``x-access``; ``tests/security`` calls every operation and
page as every audience and checks the outcome against it, and fails on an operation
or page without one. The permission checks themselves stay in the services and
selectors: this is the contract they are held to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

ACCESS_ATTRIBUTE = "amiable_access"
View = TypeVar("View", bound=Callable[..., Any])


class Audience(StrEnum):
    ANONYMOUS = "anonymous"  # no credentials at all
    CUSTOMER = "customer"  # a customer signed in to the portal
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    QUALITY_MANAGER = "quality_manager"
    ADMIN = "admin"


@dataclass(frozen=True)
class Access:
    """The audiences let through; ``team``: an agent of another team is refused the
    team's objects; ``signed``: only a request carrying a valid signature or signed
    link gets through, whoever sends it (any other is refused)."""

    allowed: frozenset[Audience]
    team: bool = False
    signed: bool = False

    def document(self) -> dict[str, Any]:
        """The ``x-access`` value of the OpenAPI document."""
        return {
            "allowed": sorted(self.allowed),
            "team_scoped": self.team,
            "signed": self.signed,
        }


def rule(*allowed: Audience, team: bool = False, signed: bool = False) -> Access:
    return Access(allowed=frozenset(allowed), team=team, signed=signed)


_STAFF = (
    Audience.AGENT,
    Audience.SUPERVISOR,
    Audience.QUALITY_MANAGER,
    Audience.ADMIN,
)
# Anyone, signed in or not (the sign-in pages, the portal's code request).
PUBLIC = rule(Audience.ANONYMOUS, Audience.CUSTOMER, *_STAFF)
# A signature (webhooks) or a signed link (surveys, confirmations) is the credential.
SIGNED = rule(Audience.ANONYMOUS, Audience.CUSTOMER, *_STAFF, signed=True)
# A customer signed in to the portal.
CUSTOMER = rule(Audience.CUSTOMER)
# Every staff member, on what is not a team's (their own account, catalogues).
STAFF = rule(*_STAFF)
# Every staff member on the objects of their team; quality managers and
# administrators on every team's.
TEAM = rule(*_STAFF, team=True)
# Supervisors, quality managers and administrators.
SUPERVISORS = rule(Audience.SUPERVISOR, Audience.QUALITY_MANAGER, Audience.ADMIN)
SUPERVISORS_TEAM = rule(
    Audience.SUPERVISOR, Audience.QUALITY_MANAGER, Audience.ADMIN, team=True
)
# Quality managers and administrators.
QUALITY = rule(Audience.QUALITY_MANAGER, Audience.ADMIN)
# Administrators only.
ADMIN = rule(Audience.ADMIN)


def access(declared: Access) -> Callable[[View], View]:
    """Declare who may call the decorated view (put it under the route decorator
    or over the view function; wrappers made with ``functools.wraps`` keep it)."""

    def decorate(view: View) -> View:
        setattr(view, ACCESS_ATTRIBUTE, declared)
        return view

    return decorate


def access_of(view: Callable[..., Any]) -> Access | None:
    """The declaration of a view, through any wrapper that kept its attributes."""
    current: Any = view
    while current is not None:
        declared = getattr(current, ACCESS_ATTRIBUTE, None)
        if isinstance(declared, Access):
            return declared
        current = getattr(current, "__wrapped__", None)
    return None
