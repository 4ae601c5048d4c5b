"""IMAP passwords and webhook signing secrets encrypted at rest (Fernet tokens in a
text column), existing rows encrypted in place; the reverse decrypts them."""

from django.db import migrations

import amiable.core.encryption
from amiable.core.encryption import columns_encrypt_operation

COLUMNS = [("Mailbox", "imap_password"), ("WebhookSource", "secret")]


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
        columns_encrypt_operation("inbound", COLUMNS),
    ]
