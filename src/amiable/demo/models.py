"""The mark that makes a database a demo one: the only place demo accounts may exist."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DemoDatabase(models.Model):
    """One row, written by ``amiable demo`` or ``amiable run --demo`` into an empty
    database. Its presence is what allows demo staff accounts; without it, no command
    creates an account with a password the code or the docs know.

    The demo password is kept here in clear on purpose: it is printed at every start
    of a demo, and a demo database holds nothing but invented people.
    """

    singleton = models.PositiveSmallIntegerField(default=1, editable=False)
    password = models.CharField(_("demo password"), max_length=128)
    created_at = models.DateTimeField(_("marked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("demo database mark")
        constraints = [
            models.UniqueConstraint(fields=["singleton"], name="demo_database_one_row"),
            models.CheckConstraint(
                condition=Q(singleton=1), name="demo_database_singleton_is_1"
            ),
        ]

    def __str__(self) -> str:
        return "demo database"
