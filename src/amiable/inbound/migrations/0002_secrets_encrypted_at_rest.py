"""IMAP passwords and webhook signing secrets encrypted at rest (Fernet tokens in a
text column), existing rows encrypted in place; the reverse decrypts them."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

import amiable.core.encryption
from amiable.core.encryption import column_decrypt, column_encrypt

COLUMNS = [("Mailbox", "imap_password"), ("WebhookSource", "secret")]


def encrypt(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for model, column in COLUMNS:
        table = apps.get_model("inbound", model)._meta.db_table
        column_encrypt(schema_editor.connection, table=table, column=column)


def decrypt(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for model, column in COLUMNS:
        table = apps.get_model("inbound", model)._meta.db_table
        column_decrypt(schema_editor.connection, table=table, column=column)


class Migration(migrations.Migration):
    dependencies = [
        ("inbound", "0001_inbound_channels"),
    ]

    operations = [
        migrations.AlterField(
            model_name="mailbox",
            name="imap_password",
            field=amiable.core.encryption.EncryptedTextField(
                blank=True, verbose_name="IMAP password"
            ),
        ),
        migrations.AlterField(
            model_name="webhooksource",
            name="secret",
            field=amiable.core.encryption.EncryptedTextField(
                verbose_name="signing secret"
            ),
        ),
        migrations.RunPython(encrypt, decrypt, elidable=False),
    ]
