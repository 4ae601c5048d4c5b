"""Scoped reads of macros: those an actor may manage, those usable on a case, and
the values a macro may show for a case."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from amiable.accounts.models import Role, User
from amiable.cases.models import Case
from amiable.core.errors import NotFoundError
from amiable.macros.models import Macro
from amiable.macros.rendering import MacroContext
from amiable.promises.models import LIVE_STATES, Promise

PICKER_SIZE = 20


def macro_manageable_queryset(*, actor: User) -> QuerySet[Macro]:
    """Macros the actor may edit: their personal ones, plus their team's for a
    supervisor and every team's for an administrator."""
    scope = Q(owner=actor)
    if actor.is_superuser or actor.role == Role.ADMIN:
        scope |= Q(team__isnull=False)
    elif actor.role == Role.SUPERVISOR and actor.team_id is not None:
        scope |= Q(team_id=actor.team_id)
    return Macro.objects.filter(scope)


def macro_list(*, actor: User) -> QuerySet[Macro]:
    """The macros page: what the actor may see (their own and their team's, every
    team's for an administrator), team first then name."""
    scope = Q(owner=actor)
    if actor.is_superuser or actor.role == Role.ADMIN:
        scope |= Q(team__isnull=False)
    elif actor.team_id is not None:
        scope |= Q(team_id=actor.team_id)
    return (
        Macro.objects.filter(scope)
        .select_related("team", "owner")
        .order_by(F("team__name").asc(nulls_last=True), "name", "id")
    )


def macro_get(*, actor: User, macro_id: int) -> Macro:
    """One macro the actor may see. Raises NotFoundError."""
    macro = macro_list(actor=actor).filter(pk=macro_id).first()
    if macro is None:
        raise NotFoundError(_("No such macro."))
    return macro


def macro_list_for_case(*, actor: User, case: Case, text: str = "") -> list[Macro]:
    """Active macros usable on ``case``: the case team's and the actor's own,
    matching ``text`` in their name or texts (one query)."""
    scope = Q(owner=actor)
    if case.team_id is not None:
        scope |= Q(team_id=case.team_id)
    queryset = Macro.objects.filter(scope, is_active=True)
    text = text.strip()
    if text:
        queryset = queryset.filter(
            Q(name__icontains=text)
            | Q(body_fr__icontains=text)
            | Q(body_en__icontains=text)
        )
    return list(queryset.order_by("name", "id")[:PICKER_SIZE])


def macro_get_for_case(*, actor: User, case: Case, macro_id: int) -> Macro:
    """One active macro usable on ``case``. Raises NotFoundError."""
    scope = Q(owner=actor)
    if case.team_id is not None:
        scope |= Q(team_id=case.team_id)
    macro = Macro.objects.filter(scope, is_active=True, pk=macro_id).first()
    if macro is None:
        raise NotFoundError(_("No such macro."))
    return macro


def _first_name(full_name: str) -> str:
    parts = full_name.split()
    return parts[0] if parts else ""


def macro_context(*, actor: User, case: Case) -> MacroContext:
    """The values of the documented variables for ``case``, dates formatted in the
    customer's language (two queries: the latest order, the next promise)."""
    customer = case.customer
    language = customer.preferred_language or "fr"
    order = case.orders.order_by("-placed_at", "-id").first()
    promise = (
        Promise.objects.filter(case=case, state__in=LIVE_STATES)
        .order_by("due_at", "id")
        .first()
    )
    due = ""
    if promise is not None:
        with translation.override(language):
            due = formats.date_format(
                timezone.localtime(promise.due_at).date(), "DATE_FORMAT"
            )
    return MacroContext(
        first_name=_first_name(customer.name),
        customer_name=customer.name,
        case_reference=case.reference,
        case_subject=case.subject,
        order_number=order.external_ref if order else "",
        promise_due_date=due,
        agent_first_name=actor.first_name or _first_name(actor.display_name),
    )
