"""Warning a customer before a promise slips: a templated message in their
language, giving the new expected date, on the case (so their reply lands there),
once per slip; the owning agent is notified."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape, format_html, linebreaks
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.cases.models import Case, CaseKind
from amiable.cases.services import case_open
from amiable.conversations.models import Channel, Direction, Interaction
from amiable.conversations.services import (
    interaction_queue_delivery,
    interaction_record,
)
from amiable.core.clock import now
from amiable.core.customer_links import CustomerLinkTarget, customer_link
from amiable.notifications.services import notification_send
from amiable.promises.models import (
    Promise,
    PromiseKind,
    PromiseState,
    PromiseWarning,
    WarningPolicy,
)
from amiable.promises.suggestions import promise_suggest

LANGUAGES = ("fr", "en")


def policy_for(
    kind: str, policies: list[WarningPolicy] | None = None
) -> WarningPolicy | None:
    """The active policy of ``kind``, else the active policy for any type."""
    candidates = (
        policies
        if policies is not None
        else list(WarningPolicy.objects.filter(is_active=True))
    )
    specific = [
        policy for policy in candidates if policy.is_active and policy.kind == kind
    ]
    generic = [policy for policy in candidates if policy.is_active and not policy.kind]
    chosen = sorted(specific, key=lambda p: p.pk) or sorted(generic, key=lambda p: p.pk)
    return chosen[0] if chosen else None


def slip_key_of(promise: Promise) -> str:
    """One slip = one promise about to miss one due time."""
    return f"promise:{promise.pk}:due:{promise.due_at.isoformat()}"


def expected_time(promise: Promise, policy: WarningPolicy) -> dt.datetime:
    """The new expected time: what history says such promises take, when that is
    later than the due time; else the due time plus the policy's extension."""
    suggestion = promise_suggest(
        kind=promise.kind,
        carrier=promise.carrier,
        category=promise.category,
        at=promise.made_at,
    )
    extended = promise.due_at + dt.timedelta(days=max(1, policy.extension_days))
    if suggestion.is_from_history and suggestion.due_at > promise.due_at:
        return max(suggestion.due_at, promise.due_at + dt.timedelta(days=1))
    return extended


def _case_for(promise: Promise) -> Case:
    """The case the warning goes on: the promise's, else a new one about its order."""
    if promise.case is not None:
        return promise.case
    language = _language(promise)
    with translation.override(language):
        if promise.order is not None:
            subject = _("Your order %(ref)s: a delay is expected") % {
                "ref": promise.order.external_ref
            }
        else:
            subject = _("About our promise: a delay is expected")
    case = case_open(
        actor=None,
        customer=promise.customer,
        subject=subject,
        kind=CaseKind.REQUEST,
        category="delivery" if promise.kind == PromiseKind.DELIVERY else "",
        channel=Channel.EMAIL,
        orders=[promise.order] if promise.order is not None else [],
    )
    promise.case = case
    promise.team = promise.team or case.team
    promise.save(update_fields=["case", "team", "updated_at"])
    return case


def _language(promise: Promise) -> str:
    language = (promise.customer.preferred_language or "fr")[:2]
    return language if language in LANGUAGES else "fr"


def promise_owner(promise: Promise, case: Case | None) -> User | None:
    if case is not None and case.assignee is not None:
        return case.assignee
    return promise.made_by


def promise_portal_link(promise: Promise, case: Case) -> str | None:
    """The customer's own page about ``promise`` (signed, expiring, theirs only):
    the order's page for a delivery, else the case's; None without a portal."""
    if promise.kind == PromiseKind.DELIVERY and promise.order_id is not None:
        target, object_id = CustomerLinkTarget.ORDER, promise.order_id
    else:
        target, object_id = CustomerLinkTarget.CASE, case.pk
    return customer_link(
        customer_id=promise.customer_id, target=target, object_id=object_id
    )


def _html_of(body: str, link: str | None) -> str:
    """The HTML part: the text's paragraphs, with ``link`` made clickable."""
    html = linebreaks(body, autoescape=True)
    if link:
        html = html.replace(escape(link), format_html('<a href="{0}">{0}</a>', link))
    return html


def promise_tell_customer(
    *,
    actor: User | None,
    promise: Promise,
    case: Case,
    template: str,
    context: dict[str, object],
    channel: str = Channel.EMAIL,
    at: dt.datetime | None = None,
    metadata: dict[str, object] | None = None,
    link: str | None = None,
) -> Interaction:
    """Send the customer a templated message about ``promise`` on ``case``, in
    their language, through the conversations delivery task. A ``link`` (given to
    the template as ``link``) is clickable in the email's HTML part."""
    language = _language(promise)
    with translation.override(language):
        full: dict[str, object] = {
            "promise": promise,
            "customer": promise.customer,
            "case": case,
            "link": link,
        }
        full.update(context)
        subject = " ".join(
            render_to_string(f"promises/messages/{template}_subject.txt", full).split()
        )
        body = render_to_string(f"promises/messages/{template}.txt", full).strip()
    interaction = interaction_record(
        actor=actor,
        customer=promise.customer,
        case=case,
        channel=channel if channel in Channel.values else Channel.EMAIL,
        direction=Direction.OUTBOUND,
        subject=f"[{case.reference}] {subject}",
        body_text=body,
        body_html=_html_of(body, link) if link else "",
        language=language,
        occurred_at=at,
        metadata=metadata or {},
    ).interaction
    interaction_queue_delivery(interaction=interaction)
    return interaction


@transaction.atomic
def promise_warn(
    *, promise: Promise, policy: WarningPolicy, at: dt.datetime | None = None
) -> PromiseWarning | None:
    """Warn the customer that ``promise`` is about to slip, once per slip.

    Only a live promise not yet due is warned. Returns the warning, or None when
    nothing was sent (already warned for this due time, closed, or past due)."""
    stamp = at or now()
    promise = (
        Promise.objects.select_for_update(of=("self",))
        .select_related("customer", "case__assignee", "order", "made_by")
        .get(pk=promise.pk)
    )
    if promise.state not in (
        PromiseState.OPEN,
        PromiseState.AT_RISK,
        PromiseState.RENEGOTIATED,
    ):
        return None
    if promise.due_at <= stamp:
        return None
    slip_key = slip_key_of(promise)
    if PromiseWarning.objects.filter(slip_key=slip_key).exists():
        return None
    expected_at = expected_time(promise, policy)
    try:
        with transaction.atomic():
            warning = PromiseWarning.objects.create(
                promise=promise,
                policy=policy,
                slip_key=slip_key,
                due_at=promise.due_at,
                expected_at=expected_at,
                channel=policy.channel,
                sent_at=stamp,
            )
    except IntegrityError:
        return None  # a concurrent scan claimed this slip first
    case = _case_for(promise)
    interaction = promise_tell_customer(
        actor=None,
        promise=promise,
        case=case,
        template="warning",
        context={
            "order": promise.order,
            "expected_at": expected_at,
            "is_delivery": promise.kind == PromiseKind.DELIVERY,
        },
        channel=policy.channel,
        at=stamp,
        metadata={"promise_warning": {"promise": promise.pk, "slip": slip_key}},
        link=promise_portal_link(promise, case),
    )
    warning.interaction = interaction
    warning.save(update_fields=["interaction"])
    promise.expected_at = expected_at
    promise.save(update_fields=["expected_at", "updated_at"])
    owner = promise_owner(promise, case)
    if policy.is_owner_notified and owner is not None:
        with translation.override(owner.preferred_language or "fr"):
            notification_send(
                recipients=[owner],
                kind="promise.at_risk",
                title=_("Promise at risk on %(ref)s: customer warned")
                % {"ref": case.reference},
                body=promise.description,
                url=reverse("cases:detail", args=[case.pk]),
                dedupe_key=slip_key,
            )
    return warning
