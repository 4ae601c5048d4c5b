"""Close the published-password door of earlier versions.

Before the demo mark existed, every ``amiable run`` created a superuser ``admin`` with
the published password ``amiable-demo``, in any database. Here, once:
- a database that holds the old demo's catalogue (products ``DEMO-…``) was loaded by
  ``amiable demo``: it is marked as a demo, with the password it already uses;
- in any other database, an account that still signs in with the published password
  gets an unusable password (its owner sets a new one with ``amiable manage
  changepassword``).
"""

from __future__ import annotations

from django.apps.registry import Apps
from django.contrib.auth.hashers import check_password, make_password
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

PUBLISHED_PASSWORD = "amiable-demo"  # noqa: S105 (the old published one, to revoke)
LEGACY_USERNAMES = ("admin",)


def published_password_close(
    apps: Apps, schema_editor: BaseDatabaseSchemaEditor
) -> None:
    product = apps.get_model("commerce", "Product")
    user = apps.get_model("accounts", "User")
    demo_database = apps.get_model("demo", "DemoDatabase")
    if product.objects.filter(sku__startswith="DEMO-").exists():
        demo_database.objects.get_or_create(
            singleton=1, defaults={"password": PUBLISHED_PASSWORD}
        )
        return
    for account in user.objects.filter(username__in=LEGACY_USERNAMES):
        if check_password(PUBLISHED_PASSWORD, account.password):
            account.password = make_password(None)
            account.save(update_fields=["password"])


class Migration(migrations.Migration):
    dependencies = [
        ("demo", "0001_demo_database_mark"),
        ("accounts", "0001_initial"),
        ("commerce", "0002_tracking_quarantine"),
    ]

    operations = [
        migrations.RunPython(published_password_close, migrations.RunPython.noop)
    ]
