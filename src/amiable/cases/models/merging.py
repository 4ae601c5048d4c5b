"""Merging cases into one and splitting messages off into a new case: the undo
record of each operation, and which cases it closed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amiable.cases.models.case import Case


class CaseMergeKind(models.TextChoices):
    MERGE = "merge", _("Merge")
    SPLIT = "split", _("Split")


class CaseMerge(models.Model):
    """One merge (cases closed into ``target``) or split (messages of ``origin``
    moved to the new case ``target``), with what moved, to undo it exactly.

    ``moved`` holds, per source case id, the ids of the rows re-pointed to the
    target (``"<app>.<model>": [ids]``), the orders added to the target and the
    source's state before it was closed (status, times, SLA clocks and pauses)."""

    kind = models.CharField(
        _("kind"),
        max_length=5,
        choices=CaseMergeKind.choices,
        default=CaseMergeKind.MERGE,
        db_default=CaseMergeKind.MERGE,
    )
    target = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="+", verbose_name=_("target")
    )
    origin = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("split case"),
    )
    performed_at = models.DateTimeField(_("performed at"))
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("performed by"),
    )
    moved = models.JSONField(_("moved rows"), default=dict, db_default={})
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("undone by"),
    )

    class Meta:
        ordering = ["-performed_at", "-id"]
        verbose_name = _("case merge")
        verbose_name_plural = _("case merges")
        indexes = [
            models.Index(
                fields=["target", "-performed_at"], name="casemerge_target_idx"
            ),
            models.Index(
                fields=["origin", "-performed_at"], name="casemerge_origin_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.target_id}"


class CaseMergeSource(models.Model):
    """A case closed by a merge. At most one active row per case: a case cannot
    be merged twice, even by two agents at the same instant (the database says
    no to the second)."""

    merge = models.ForeignKey(
        CaseMerge,
        on_delete=models.CASCADE,
        related_name="sources",
        verbose_name=_("merge"),
    )
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="+", verbose_name=_("case")
    )
    is_active = models.BooleanField(_("active"), default=True, db_default=True)

    class Meta:
        verbose_name = _("merged case")
        verbose_name_plural = _("merged cases")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(is_active=True),
                name="case_merged_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → merge {self.merge_id}"
