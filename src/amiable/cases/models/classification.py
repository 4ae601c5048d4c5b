"""Tags and administrator-defined custom fields on cases.

Case tags reuse the customers' ``Tag`` (one vocabulary of names); ``CaseTag`` is the
link, indexed by tag first so that « cases tagged X » is an index range, not a scan
of the cases. A ``CustomField`` is defined by an administrator (key, French and
English labels, a type, the choices of a choice field); ``CaseFieldValue`` holds one
case's value of one field, stored in a canonical text form (a number as ``12.5``, a
date as ``2026-12-07``) so that one index serves the inbox filter of every type."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amiable.core.models import TimeStampedModel
from amiable.customers.models import Tag

FIELD_VALUE_MAX = 200


class CustomFieldKind(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    CHOICE = "choice", _("Choice")


class CaseTag(models.Model):
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="tag_links",
        verbose_name=_("case"),
    )
    tag = models.ForeignKey(
        Tag, on_delete=models.PROTECT, related_name="case_links", verbose_name=_("tag")
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )

    class Meta:
        verbose_name = _("case tag")
        verbose_name_plural = _("case tags")
        constraints = [
            models.UniqueConstraint(fields=["case", "tag"], name="case_tag_unique")
        ]
        # The inbox filter: the cases of one tag, from the index alone.
        indexes = [models.Index(fields=["tag", "case"], name="case_tag_tag_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.tag_id}"


class CustomField(TimeStampedModel):
    key = models.SlugField(_("key"), max_length=40, unique=True)
    label_fr = models.CharField(_("label in French"), max_length=80)
    label_en = models.CharField(_("label in English"), max_length=80)
    kind = models.CharField(_("type"), max_length=8, choices=CustomFieldKind.choices)
    choices = models.JSONField(
        _("choices"), default=list, blank=True, help_text=_("For a choice field.")
    )
    position = models.PositiveIntegerField(_("position"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "key"]
        verbose_name = _("custom field")
        verbose_name_plural = _("custom fields")

    def __str__(self) -> str:
        return self.key

    def label_in(self, language: str) -> str:
        return self.label_en if language.startswith("en") else self.label_fr


class CaseFieldValue(models.Model):
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="field_values",
        verbose_name=_("case"),
    )
    field = models.ForeignKey(
        CustomField,
        on_delete=models.PROTECT,
        related_name="values",
        verbose_name=_("custom field"),
    )
    value = models.CharField(_("value"), max_length=FIELD_VALUE_MAX)

    class Meta:
        verbose_name = _("custom field value")
        verbose_name_plural = _("custom field values")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "field"], name="case_field_value_unique"
            )
        ]
        # The inbox filter « field = value »: an index range of the matching cases.
        indexes = [
            models.Index(fields=["field", "value", "case"], name="case_field_value_idx")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.field_id}={self.value}"
