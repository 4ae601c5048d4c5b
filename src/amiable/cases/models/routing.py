"""Routing new cases to a team, and handing them to one of its agents.

``TeamRouting`` gives a team its skills (languages spoken, categories handled) and
how its new cases are assigned; ``RoutingRule`` rows, tried by position, send a new
case to a named team, or to the team whose skills fit the case best.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amiable.accounts.models import Team
from amiable.cases.models.case import CaseKind, CasePriority
from amiable.conversations.models import Channel
from amiable.core.models import TimeStampedModel
from amiable.customers.models import CustomerTier


class AssignmentMode(models.TextChoices):
    MANUAL = "manual", _("Manual (agents take cases)")
    ROUND_ROBIN = "round_robin", _("Round robin among available agents")
    LEAST_LOADED = "least_loaded", _("Least loaded available agent")


class TeamRouting(TimeStampedModel):
    team = models.OneToOneField(
        Team, on_delete=models.CASCADE, related_name="routing", verbose_name=_("team")
    )
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_('e.g. ["fr", "en"]')
    )
    categories = models.JSONField(
        _("categories"),
        default=list,
        blank=True,
        help_text=_("Codes of the case categories this team handles."),
    )
    assignment_mode = models.CharField(
        _("assignment"),
        max_length=12,
        choices=AssignmentMode.choices,
        default=AssignmentMode.MANUAL,
    )
    # Round robin: the agent who got the last case (the next one follows them).
    last_assigned = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last assigned agent"),
    )

    class Meta:
        verbose_name = _("team routing")
        verbose_name_plural = _("team routing")

    def __str__(self) -> str:
        return f"{self.team_id} {self.assignment_mode}"


class RoutingRule(TimeStampedModel):
    """If a new case matches every condition set here (blank: any), send it to
    ``team``, or, without a team, to the team whose skills fit it best."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    position = models.PositiveIntegerField(_("position"), default=100)
    is_active = models.BooleanField(_("active"), default=True)
    kind = models.CharField(
        _("kind"), max_length=12, choices=CaseKind.choices, blank=True
    )
    priority = models.CharField(
        _("priority"), max_length=8, choices=CasePriority.choices, blank=True
    )
    channel = models.CharField(
        _("opening channel"), max_length=10, choices=Channel.choices, blank=True
    )
    customer_tier = models.CharField(
        _("customer tier"), max_length=10, choices=CustomerTier.choices, blank=True
    )
    category = models.CharField(_("category code"), max_length=80, blank=True)
    language = models.CharField(_("customer's language"), max_length=8, blank=True)
    # A tag the new case carries (given when it is opened) or its customer carries.
    tag = models.CharField(
        _("tag"), max_length=60, blank=True, default="", db_default=""
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="routing_rules",
        verbose_name=_("team (blank: by skills)"),
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")

    def __str__(self) -> str:
        return self.name
