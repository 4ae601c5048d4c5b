"""Reply drafts kept on the server: one per agent and case, so a reply begun on
one device is found on another."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amiable.core.models import TimeStampedModel


class ReplyDraft(TimeStampedModel):
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="reply_drafts",
        verbose_name=_("case"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("author"),
    )
    channel = models.CharField(_("channel"), max_length=10, blank=True)
    body = models.TextField(_("text"), blank=True)
    cc = models.CharField(_("Cc"), max_length=2000, blank=True)
    bcc = models.CharField(_("Bcc"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("reply draft")
        verbose_name_plural = _("reply drafts")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "author"], name="reply_draft_unique_per_author"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.author_id}"
