"""The shop/ERP webhook signing secret encrypted at rest (Fernet tokens in a
text column), existing rows encrypted in place; the reverse decrypts them."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

import amiable.core.encryption
from amiable.core.encryption import column_decrypt, column_encrypt

COLUMNS = [("GestureSettings", "webhook_secret")]


def encrypt(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for model, column in COLUMNS:
        table = apps.get_model("gestures", model)._meta.db_table
        column_encrypt(schema_editor.connection, table=table, column=column)


def decrypt(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for model, column in COLUMNS:
        table = apps.get_model("gestures", model)._meta.db_table
        column_decrypt(schema_editor.connection, table=table, column=column)


class Migration(migrations.Migration):
    dependencies = [
        ("gestures", "0002_due_in_business_hours"),
    ]

    operations = [
        migrations.AlterField(
            model_name="gesturesettings",
            name="webhook_secret",
            field=amiable.core.encryption.EncryptedTextField(
                blank=True, verbose_name="webhook signing secret"
            ),
        ),
        migrations.RunPython(encrypt, decrypt, elidable=False),
    ]
