"""Domain events: what happened, stored in the transaction that made it happen.

An event row is written by the service that made the change, inside its transaction
(the outbox); after commit, each registered handler gets it once, in a task. A
delivery row per (event, handler) makes the handling idempotent.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DomainEvent(models.Model):
    name = models.CharField(_("name"), max_length=64)
    payload = models.JSONField(_("payload"), default=dict)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    occurred_at = models.DateTimeField(_("occurred at"))
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    # Set when the relay enqueued the deliveries this event was still missing (a
    # process lost between commit and enqueue, a worker lost mid-task): once only.
    relayed_at = models.DateTimeField(_("relayed at"), null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("domain event")
        verbose_name_plural = _("domain events")
        indexes = [
            models.Index(fields=["name", "-occurred_at"], name="event_name_idx"),
            models.Index(fields=["-occurred_at", "-id"], name="event_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} #{self.pk}"


class EventDelivery(models.Model):
    """One handler has handled one event; its effects committed with this row."""

    event = models.ForeignKey(
        DomainEvent,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("event"),
    )
    handler = models.CharField(_("handler"), max_length=200)
    delivered_at = models.DateTimeField(_("delivered at"))

    class Meta:
        ordering = ["-delivered_at", "-id"]
        verbose_name = _("event delivery")
        verbose_name_plural = _("event deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "handler"], name="event_delivery_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id} -> {self.handler}"
