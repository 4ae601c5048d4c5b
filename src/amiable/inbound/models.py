"""Inbound channels: mailboxes, signed webhook sources, the ledger of every email
received (idempotency and quarantine), online reviews and automatic-message limits."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amiable.core.encryption import EncryptedTextField
from amiable.core.models import TimeStampedModel
from amiable.inbound.reasons import reason_text


class ImapSecurity(models.TextChoices):
    SSL = "ssl", _("SSL/TLS")
    STARTTLS = "starttls", _("STARTTLS")
    PLAIN = "plain", _("None (loopback or tests only)")


class Mailbox(TimeStampedModel):
    """A support address; polled over IMAP when a host is set."""

    name = models.CharField(_("name"), max_length=120)
    address = models.EmailField(_("address"), unique=True)
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team of new cases"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    signature = models.TextField(
        _("signature"),
        blank=True,
        help_text=_("Added under the replies sent from this address."),
    )
    imap_host = models.CharField(_("IMAP host"), max_length=255, blank=True)
    imap_port = models.PositiveIntegerField(_("IMAP port"), default=993)
    imap_security = models.CharField(
        _("IMAP security"),
        max_length=10,
        choices=ImapSecurity.choices,
        default=ImapSecurity.SSL,
    )
    imap_username = models.CharField(_("IMAP user"), max_length=255, blank=True)
    imap_password = EncryptedTextField(_("IMAP password"), blank=True)
    imap_folder = models.CharField(_("IMAP folder"), max_length=255, default="INBOX")
    poll_every_seconds = models.PositiveIntegerField(
        _("poll every (seconds)"), default=60
    )
    uid_validity = models.BigIntegerField(_("UIDVALIDITY"), null=True, blank=True)
    last_uid = models.BigIntegerField(_("last UID ingested"), default=0)
    last_polled_at = models.DateTimeField(_("last polled at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>"


class WebhookKind(models.TextChoices):
    EMAIL = "email", _("Raw email (MIME)")
    SMS = "sms", _("SMS")
    SOCIAL = "social", _("Social post or message")
    REVIEW = "review", _("Online review")
    WEBFORM = "webform", _("Web contact form")
    CHAT = "chat", _("Chat transcript")


class WebhookSource(TimeStampedModel):
    """A provider allowed to post one kind of message, signing with its secret."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=WebhookKind.choices)
    secret = EncryptedTextField(_("signing secret"))
    is_active = models.BooleanField(_("active"), default=True)
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team of new cases"),
    )
    last_received_at = models.DateTimeField(
        _("last received at"), null=True, blank=True
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("webhook source")
        verbose_name_plural = _("webhook sources")

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"


class WebhookReceipt(models.Model):
    """One signed request seen, by its nonce: the same request is never replayed."""

    source = models.ForeignKey(
        WebhookSource, on_delete=models.CASCADE, related_name="receipts"
    )
    nonce = models.CharField(_("nonce"), max_length=128)
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("webhook receipt")
        verbose_name_plural = _("webhook receipts")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "nonce"], name="webhook_receipt_nonce_unique"
            )
        ]
        indexes = [models.Index(fields=["received_at"], name="webhook_receipt_at_idx")]

    def __str__(self) -> str:
        return self.nonce


class WebhookMessage(models.Model):
    """One message received through a webhook, once per (source, external id)."""

    source = models.ForeignKey(
        WebhookSource, on_delete=models.PROTECT, related_name="messages"
    )
    external_id = models.CharField(_("external id"), max_length=200)
    received_at = models.DateTimeField(_("received at"))
    interaction = models.ForeignKey(
        "conversations.Interaction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("webhook message")
        verbose_name_plural = _("webhook messages")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="webhook_message_unique"
            )
        ]

    def __str__(self) -> str:
        return self.external_id


class InboundSource(models.TextChoices):
    IMAP = "imap", _("IMAP polling")
    SMTP = "smtp", _("SMTP endpoint")
    HTTP = "http", _("HTTP endpoint")
    COMMAND = "command", _("Command line")


class InboundStatus(models.TextChoices):
    OPENED = "opened", _("Opened a case")
    THREADED = "threaded", _("Added to a case")
    AUTO_REPLY = "auto_reply", _("Automatic reply (no case)")
    BOUNCE = "bounce", _("Delivery failure report")
    LOOP = "loop", _("Sent by ourselves (ignored)")
    COMPLAINT = "complaint", _("Spam complaint (no case)")
    QUARANTINED = "quarantined", _("Quarantined")


def raw_path(instance: InboundEmail, filename: str) -> str:
    return f"inbound/{instance.raw_sha256[:2]}/{instance.raw_sha256}.eml"


class InboundEmail(TimeStampedModel):
    """Every email received, once: the idempotency ledger, the raw source kept, and
    the quarantine of messages that could not be ingested."""

    dedupe_key = models.CharField(_("deduplication key"), max_length=300, unique=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=InboundSource.choices)
    mailbox = models.ForeignKey(
        Mailbox,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="emails",
        verbose_name=_("mailbox"),
    )
    received_at = models.DateTimeField(_("received at"))
    raw = models.FileField(_("raw source"), upload_to=raw_path, max_length=255)
    raw_sha256 = models.CharField(_("SHA-256 of the source"), max_length=64)
    raw_size = models.PositiveBigIntegerField(_("size (bytes)"))
    # Hash of the From address: a message reusing the Message-ID of another
    # (same id, another sender) is a different message.
    identity_sha256 = models.CharField(
        _("SHA-256 of the sender"), max_length=64, blank=True, default=""
    )
    sender = models.CharField(_("sender"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=InboundStatus.choices)
    reason = models.TextField(_("reason"), blank=True)
    # Stable, language-neutral code of a quarantine reason (``reasons.py``); the
    # reader sees its sentence in their language. "" on older rows and others.
    reason_code = models.CharField(
        _("reason code"), max_length=40, blank=True, default="", db_default=""
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("customer"),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    interaction = models.ForeignKey(
        "conversations.Interaction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("interaction"),
    )
    replay_count = models.PositiveIntegerField(_("replays"), default=0)
    replayed_at = models.DateTimeField(_("last replayed at"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("inbound email")
        verbose_name_plural = _("inbound emails")
        indexes = [
            models.Index(
                fields=["status", "-received_at", "-id"], name="inbound_status_idx"
            ),
            models.Index(fields=["message_id"], name="inbound_message_id_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.subject or self.dedupe_key}"

    @property
    def reason_text(self) -> str:
        """The reason in the active language (see ``amiable.inbound.reasons``)."""
        return reason_text(self.reason_code, self.reason)


class Review(TimeStampedModel):
    """An online review and our public answer to it."""

    interaction = models.OneToOneField(
        "conversations.Interaction",
        on_delete=models.PROTECT,
        related_name="review",
        verbose_name=_("interaction"),
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="reviews",
        verbose_name=_("customer"),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("case"),
    )
    platform = models.CharField(_("platform"), max_length=40)
    external_id = models.CharField(_("external id"), max_length=200)
    url = models.URLField(_("address"), max_length=500, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating (1 to 5)"))
    author_name = models.CharField(_("author"), max_length=200, blank=True)
    reply_draft = models.TextField(_("draft of the public reply"), blank=True)
    reply_draft_updated_at = models.DateTimeField(
        _("draft updated at"), null=True, blank=True
    )
    replied_publicly_at = models.DateTimeField(
        _("replied publicly at"), null=True, blank=True
    )
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replied by"),
    )
    public_reply_url = models.URLField(
        _("address of the public reply"), max_length=500, blank=True
    )
    public_reply = models.ForeignKey(
        "conversations.Interaction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("public reply"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("online review")
        verbose_name_plural = _("online reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "external_id"], name="review_external_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5),
                name="review_rating_range",
            ),
        ]
        indexes = [
            models.Index(
                fields=["replied_publicly_at", "rating"], name="review_unanswered_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.platform} {self.rating}/5"

    @property
    def is_replied_publicly(self) -> bool:
        return self.replied_publicly_at is not None


class AutoMessage(models.Model):
    """An automatic message sent to an address (acknowledgements): counted to stay
    under the per-address limit and never to answer a robot twice."""

    address = models.CharField(_("address"), max_length=254)
    kind = models.CharField(_("kind"), max_length=40)
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("automatic message")
        verbose_name_plural = _("automatic messages")
        indexes = [
            models.Index(fields=["address", "-sent_at"], name="auto_message_addr_idx")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.address}"
