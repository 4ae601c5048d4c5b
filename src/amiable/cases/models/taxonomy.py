"""The configurable taxonomies a resolution is filed under: categories (what the case
is about) and root causes (why it went wrong). Two levels each: a family such as
"Delivery" and its entries such as "Carrier delay". Names in both languages, because
administrators type them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from amiable.core.models import TimeStampedModel


class TaxonomyEntry(TimeStampedModel):
    if (
        TYPE_CHECKING
    ):  # the stubs do not see a self-referencing key of an abstract model
        parent_id: int | None

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("family"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    def name_in(self, language: str) -> str:
        return self.name_en if language.startswith("en") else self.name_fr


class RootCause(TaxonomyEntry):
    """Why things went wrong; complaints and disputes are resolved with one."""

    class Meta(TaxonomyEntry.Meta):
        verbose_name = _("root cause")
        verbose_name_plural = _("root causes")


class CaseCategory(TaxonomyEntry):
    """What a case is about. ``Case.category`` holds the entry's code, so imports and
    other apps that set a code keep working; complaints and disputes are resolved
    with an active entry."""

    class Meta(TaxonomyEntry.Meta):
        verbose_name = _("case category")
        verbose_name_plural = _("case categories")
