"""The escalation ladder of a case: every climb, by whom, when and why."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amiable.cases.models.case import Case, EscalationLevel


class EscalationSource(models.TextChoices):
    MANUAL = "manual", _("By a person")
    SLA_BREACH = "sla_breach", _("SLA breached")
    MEDIATION = "mediation", _("Referred to the mediator")


class CaseEscalation(models.Model):
    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="escalations",
        verbose_name=_("case"),
    )
    previous_level = models.PositiveSmallIntegerField(
        _("previous level"), choices=EscalationLevel.choices
    )
    level = models.PositiveSmallIntegerField(
        _("level"), choices=EscalationLevel.choices
    )
    reason = models.TextField(_("reason"))
    source = models.CharField(
        _("source"),
        max_length=12,
        choices=EscalationSource.choices,
        default=EscalationSource.MANUAL,
    )
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("escalated by"),
    )
    # Who handles the case at this level (the impartial quality manager at level 2).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    escalated_at = models.DateTimeField(_("escalated at"))

    class Meta:
        ordering = ["escalated_at", "id"]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        indexes = [
            models.Index(
                fields=["case", "escalated_at"], name="case_escalation_row_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.previous_level}->{self.level}"
