"""A customer's new request from the portal: it opens a case (channel portal)
through the cases service, with their message and files."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amiable.audit.services import audit_record
from amiable.cases.models import Case, CaseKind
from amiable.cases.services import case_open
from amiable.commerce.models import Order
from amiable.conversations.attachments import AttachmentIn
from amiable.conversations.models import Channel
from amiable.core.clock import now
from amiable.core.errors import ValidationError
from amiable.core.text import single_line
from amiable.customers.models import Customer
from amiable.portal.errors import PortalRateLimitedError
from amiable.portal.services import LONG_WINDOW, MAX_REPLY_CHARS

# What a customer may write about, and the kind of case each one opens.
TOPICS: dict[str, tuple[object, str]] = {
    "delivery": (gettext_lazy("Delivery of an order"), CaseKind.REQUEST),
    "return": (gettext_lazy("Return or refund"), CaseKind.REQUEST),
    "product": (gettext_lazy("Question about a product"), CaseKind.QUESTION),
    "complaint": (gettext_lazy("Complaint"), CaseKind.COMPLAINT),
    "other": (gettext_lazy("Something else"), CaseKind.QUESTION),
}


def topic_choices() -> list[tuple[str, object]]:
    return [(code, label) for code, (label, _kind) in TOPICS.items()]


def portal_requests_recent(*, customer: Customer) -> int:
    """Requests the customer opened from the portal within the last hour (the
    ``case_customer_idx`` index: customer, then opening time)."""
    return Case.objects.filter(
        customer=customer, opened_at__gte=now() - LONG_WINDOW, channel=Channel.PORTAL
    ).count()


@transaction.atomic
def portal_request_open(
    *,
    customer: Customer,
    topic: str,
    body_text: str,
    order: Order | None = None,
    attachments: Iterable[AttachmentIn] = (),
) -> Case:
    """Open a case for ``customer`` from the portal with their first message.

    The subject is the topic (and the order's number) in the customer's language.
    Raises ValidationError (unknown topic, empty or too long a message, another
    customer's order), PortalRateLimitedError (too many requests within an hour)
    and AttachmentRejectedError (a refused file, nothing is opened)."""
    errors: dict[str, list[str]] = {}
    if topic not in TOPICS:
        errors["topic"] = [_("Choose a topic.")]
    text = body_text.strip()
    if not text:
        errors["body"] = [_("Tell us what it is about.")]
    elif len(text) > MAX_REPLY_CHARS:
        errors["body"] = [_("At most 20,000 characters.")]
    if order is not None and order.customer_id != customer.pk:
        errors["order"] = [_("Choose one of your orders.")]
    if errors:
        raise ValidationError(_("Your request cannot be sent yet."), fields=errors)
    # Serialise the customer's own requests so two quick submissions count.
    Customer.objects.select_for_update().filter(pk=customer.pk).first()
    if portal_requests_recent(customer=customer) >= settings.PORTAL_REQUESTS_PER_HOUR:
        raise PortalRateLimitedError(
            _(
                "You have sent several requests within the hour. Please wait a "
                "little, or add to one of your requests below."
            )
        )
    label, kind = TOPICS[topic]
    with translation.override((customer.preferred_language or "fr")[:2]):
        subject = str(label)
        if order is not None:
            subject = _("%(topic)s — order %(order)s") % {
                "topic": subject,
                "order": order.external_ref,
            }
    case = case_open(
        actor=None,
        customer=customer,
        subject=single_line(subject),
        kind=kind,
        channel=Channel.PORTAL,
        orders=[order] if order is not None else [],
        body_text=text,
        attachments=list(attachments),
    )
    audit_record(
        actor=None,
        action="portal.request_open",
        instance=case,
        actor_label="customer",
        after={"customer": customer.pk, "topic": topic},
    )
    return case
