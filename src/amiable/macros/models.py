"""Macros: canned replies in French and English, with the case changes they make."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amiable.cases.models import CasePriority, CaseStatus
from amiable.core.models import TimeStampedModel
from amiable.promises.models import PromiseKind


class Macro(TimeStampedModel):
    """A team macro (``team`` set: managed by its supervisors and administrators) or
    a personal one (``owner`` set: managed by that agent). Its text is rendered by
    ``rendering.py`` with the documented variables only."""

    name = models.CharField(_("name"), max_length=120)
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="macros",
        verbose_name=_("team"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="macros",
        verbose_name=_("owner"),
    )
    body_fr = models.TextField(_("text in French"), blank=True)
    body_en = models.TextField(_("text in English"), blank=True)
    set_status = models.CharField(
        _("set the status to"), max_length=32, choices=CaseStatus.choices, blank=True
    )
    set_priority = models.CharField(
        _("set the priority to"),
        max_length=16,
        choices=CasePriority.choices,
        blank=True,
    )
    note = models.TextField(_("internal note to add"), blank=True)
    # A promise the macro makes (through the promises service): its type, what
    # is promised (with variables) and when it is due, in days from applying.
    # Database defaults too: the serving version's INSERTs do not name them.
    promise_kind = models.CharField(
        _("promise to make"),
        max_length=20,
        choices=PromiseKind.choices,
        blank=True,
        db_default="",
    )
    promise_text = models.CharField(
        _("what is promised"), max_length=500, blank=True, db_default=""
    )
    promise_days = models.PositiveSmallIntegerField(
        _("due in (days)"), default=0, db_default=0
    )
    # Tags the macro adds (comma-separated names) and a custom field it sets.
    add_tags = models.CharField(
        _("tags to add"), max_length=500, blank=True, default="", db_default=""
    )
    set_field_key = models.CharField(
        _("custom field to set"), max_length=40, blank=True, default="", db_default=""
    )
    set_field_value = models.CharField(
        _("value of the custom field"),
        max_length=200,
        blank=True,
        default="",
        db_default="",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("macro")
        verbose_name_plural = _("macros")
        constraints = [
            models.CheckConstraint(
                condition=(Q(team__isnull=False) & Q(owner__isnull=True))
                | (Q(team__isnull=True) & Q(owner__isnull=False)),
                name="macro_team_xor_owner",
            ),
            models.UniqueConstraint(
                fields=["team", "name"],
                condition=Q(team__isnull=False),
                name="macro_unique_name_per_team",
            ),
            models.UniqueConstraint(
                fields=["owner", "name"],
                condition=Q(owner__isnull=False),
                name="macro_unique_name_per_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_personal(self) -> bool:
        return self.owner_id is not None

    def body_in(self, language: str) -> str:
        """The text of ``language``, else the other one."""
        if language.startswith("en"):
            return self.body_en or self.body_fr
        return self.body_fr or self.body_en
