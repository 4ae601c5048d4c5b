"""Idempotency records: the first response to a POST, replayed for the same key."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyRecord(models.Model):
    """One ``Idempotency-Key`` used by one user, with the response it produced.

    A record is written in the same transaction as the work it guards, so it exists
    only when the work was committed; expired records are ignored and replaced.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    key = models.CharField(_("idempotency key"), max_length=255)
    method = models.CharField(_("method"), max_length=8)
    path = models.CharField(_("path"), max_length=1000)
    request_hash = models.CharField(_("request hash"), max_length=64)
    response_status = models.PositiveSmallIntegerField(_("response status"))
    response_body = models.TextField(_("response body"), blank=True)
    created_at = models.DateTimeField(_("created at"), db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], name="idempotency_unique_user_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"
