"""Marking a database as a demo one: the precondition of every demo account."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.audit.services import audit_record
from amiable.customers.models import Customer
from amiable.demo.errors import NotADemoDatabaseError
from amiable.demo.models import DemoDatabase
from amiable.demo.selectors import demo_database_get


def demo_password_new() -> str:
    """A fresh demo password: ``AMIABLE_DEMO_PASSWORD`` when set, else random."""
    return settings.AMIABLE_DEMO_PASSWORD or secrets.token_urlsafe(9)


@transaction.atomic
def demo_database_mark() -> DemoDatabase:
    """Mark this database as a demo one, or return its mark when it already is.

    Only an empty database (no staff account, no customer) may become a demo: demo
    accounts have a password that is printed for anyone to read.

    Raises NotADemoDatabaseError when the database already holds real data.
    """
    mark = demo_database_get()
    if mark is not None:
        return mark
    if User.objects.exists() or Customer.objects.exists():
        raise NotADemoDatabaseError(
            _(
                "This database already holds accounts or customers and is not a "
                "demo database: demo data and demo accounts only go into an empty "
                "database (set DATABASE_URL to a new one)."
            )
        )
    mark = DemoDatabase.objects.create(password=demo_password_new())
    audit_record(actor=None, action="demo.mark", instance=mark, actor_label="demo")
    return mark
