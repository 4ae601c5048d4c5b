"""The shop/ERP webhook signing secret encrypted at rest (Fernet tokens in a
text column), existing rows encrypted in place; the reverse decrypts them."""

from django.db import migrations

import amiable.core.encryption
from amiable.core.encryption import columns_encrypt_operation

COLUMNS = [("GestureSettings", "webhook_secret")]


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
        columns_encrypt_operation("gestures", COLUMNS),
    ]
