"""The cost ledger of a case."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amiable.cases.models.case import Case
from amiable.core.models import TimeStampedModel
from amiable.core.money import amount_field, currency_field


class CostKind(models.TextChoices):
    GESTURE = "gesture", _("Commercial gesture")
    POSTAGE = "postage", _("Postage")
    REGISTERED_LETTER = "registered_letter", _("Registered letter")
    LEGAL_FEES = "legal_fees", _("Legal fees")
    MEDIATOR_FEES = "mediator_fees", _("Mediator fees")
    OTHER = "other", _("Other")


class CaseCost(TimeStampedModel):
    """One cost a case caused. Staff time is not stored here: it is computed from the
    time spent recorded on the case's interactions (``case_cost_summary``)."""

    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="costs",
        verbose_name=_("case"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CostKind.choices)
    amount = amount_field(_("amount"))
    currency = currency_field(_("currency"))
    description = models.CharField(_("description"), max_length=255, blank=True)
    incurred_at = models.DateTimeField(_("incurred at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    # What caused the cost, e.g. "gestures.gesture:42": one entry per source.
    source = models.CharField(_("source"), max_length=100, blank=True)

    class Meta:
        ordering = ["incurred_at", "id"]
        verbose_name = _("case cost")
        verbose_name_plural = _("case costs")
        indexes = [
            models.Index(fields=["case", "incurred_at"], name="case_cost_case_idx"),
            models.Index(fields=["kind", "incurred_at"], name="case_cost_kind_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "source"],
                condition=~Q(source=""),
                name="case_cost_once_per_source",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="case_cost_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.amount} {self.currency}"
