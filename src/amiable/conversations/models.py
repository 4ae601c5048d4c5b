"""Interactions: every contact with a customer on any channel, and their attachments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amiable.core.models import TimeStampedModel
from amiable.customers.models import Customer, IdentityKind


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    SMS = "sms", _("SMS")
    CHAT = "chat", _("Chat")
    SOCIAL = "social", _("Social media")
    REVIEW = "review", _("Online review")
    LETTER = "letter", _("Letter")
    IN_PERSON = "in_person", _("In person")  # a customer who came to a shop or desk
    PORTAL = "portal", _("Customer portal")
    NOTE = "note", _("Internal note")
    # Activity on the timeline (a promise made, kept or broken, an escalation, a
    # gesture): internal, never sent, never counted as a contact.
    SYSTEM = "system", _("Activity")


class Direction(models.TextChoices):
    INBOUND = "inbound", _("Inbound")
    OUTBOUND = "outbound", _("Outbound")
    INTERNAL = "internal", _("Internal")


class CallOutcome(models.TextChoices):
    """How a logged phone call went (kept in ``Interaction.metadata["outcome"]``)."""

    ANSWERED = "answered", _("Answered")
    VOICEMAIL = "voicemail", _("Voicemail")
    NO_ANSWER = "no_answer", _("No answer")
    BUSY = "busy", _("Busy")
    CALLBACK_REQUESTED = "callback_requested", _("Callback requested")


class InteractionKind(models.TextChoices):
    """``metadata["kind"]`` of an interaction that is not between the customer
    and us: a forward to a third party (a carrier, a warehouse) and their
    answer. Staff see them on the timeline; the customer never does."""

    FORWARD = "forward", _("Forward to a third party")
    THIRD_PARTY = "third_party", _("Third party's answer")


# What the customer may not see of their case's messages (metadata kinds).
THIRD_PARTY_KINDS = (InteractionKind.FORWARD.value, InteractionKind.THIRD_PARTY.value)
# Interactions between the customer and us: no metadata kind, or another one.
WITH_CUSTOMER = Q(metadata__kind__isnull=True) | ~Q(
    metadata__kind__in=THIRD_PARTY_KINDS
)


# The conditions of the partial indexes on external id and Message-ID. A lookup by
# either repeats its condition (``filter(HAS_EXTERNAL_ID, external_id=…)``): SQLite
# uses a partial index only when the query's WHERE contains the index's WHERE, and
# without it scans every interaction.
HAS_EXTERNAL_ID = ~Q(external_id="")
HAS_MESSAGE_ID = ~Q(message_id="")


class Interaction(TimeStampedModel):
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        related_name="interactions",
        verbose_name=_("customer"),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interactions",
        verbose_name=_("case"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    occurred_at = models.DateTimeField(_("occurred at"))
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body_text = models.TextField(_("text"), blank=True)
    body_html = models.TextField(_("HTML (sanitised)"), blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    external_id = models.CharField(_("external id"), max_length=255, blank=True)
    # The RFC 5322 Message-ID of an email (inbound or sent), without angle brackets:
    # replies find their case through In-Reply-To / References.
    message_id = models.CharField(
        _("Message-ID"), max_length=255, blank=True, default=""
    )
    time_spent_seconds = models.PositiveIntegerField(_("time spent (s)"), default=0)
    metadata = models.JSONField(_("metadata"), default=dict, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                condition=HAS_EXTERNAL_ID,
                name="interaction_external_unique",
            )
        ]
        indexes = [
            models.Index(fields=["case", "occurred_at"], name="interaction_case_idx"),
            models.Index(
                fields=["customer", "-occurred_at"], name="interaction_customer_idx"
            ),
            models.Index(
                fields=["customer", "channel", "-occurred_at"],
                name="interaction_cust_chan_idx",
            ),
            models.Index(
                fields=["message_id"],
                name="interaction_message_id_idx",
                condition=HAS_MESSAGE_ID,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.direction} {self.occurred_at:%Y-%m-%d}"

    # Django's generated get_FOO_display rebuilds a dict of every (lazy) choice on
    # each call; a case page calls these about a hundred times (timeline, forward
    # form). One enum lookup each, an unknown value as is.
    def get_channel_display(self) -> str:  # type: ignore[no-redef]
        try:
            return str(Channel(self.channel).label)
        except ValueError:
            return self.channel

    def get_direction_display(self) -> str:  # type: ignore[no-redef]
        try:
            return str(Direction(self.direction).label)
        except ValueError:
            return self.direction


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    interaction = models.ForeignKey(
        Interaction,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("interaction"),
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=127)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    is_inline = models.BooleanField(_("inline"), default=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename


# The identity a reply on a channel goes to (the outbox's recipient).
IDENTITY_KIND_OF_CHANNEL: dict[str, str] = {
    Channel.SOCIAL: IdentityKind.SOCIAL,
    Channel.CHAT: IdentityKind.EMAIL,
    Channel.PORTAL: IdentityKind.EMAIL,
    Channel.SMS: IdentityKind.PHONE,
}


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the integration")
    SENT = "sent", _("Sent by the integration")
    FAILED = "failed", _("Failed in the integration")


# Channels we have no sending API for: a reply on them waits in the outbox until
# the integration (the social-media tool, the website's form) sends it and says so.
OUTBOX_CHANNELS = (Channel.SOCIAL, Channel.CHAT, Channel.PORTAL)


class OutboxMessage(TimeStampedModel):
    """A reply waiting for an integration to send it on a channel we have no API
    for; the integration reads ``GET /api/v1/outbox`` and acknowledges each one."""

    interaction = models.OneToOneField(
        Interaction,
        on_delete=models.CASCADE,
        related_name="outbox",
        verbose_name=_("interaction"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OutboxStatus.choices,
        default=OutboxStatus.PENDING,
    )
    # Where to send it: the customer's handle and platform, e-mail or phone, and
    # the external id of the customer's message it answers.
    recipient = models.JSONField(_("recipient"), default=dict, blank=True)
    provider_id = models.CharField(_("id at the provider"), max_length=255, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            models.Index(
                fields=["channel", "status", "id"], name="outbox_channel_status_idx"
            ),
            models.Index(fields=["status", "id"], name="outbox_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.status} #{self.pk}"
