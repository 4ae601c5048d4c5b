from django.db import migrations, models

from amiable.core.sqlite_triggers import keep_sqlite_triggers

BATCH = 1000


def backfill(apps, schema_editor):
    """Sent emails kept their Message-ID in metadata, inbound ones in external_id."""
    Interaction = apps.get_model("conversations", "Interaction")
    rows = Interaction.objects.filter(channel="email").order_by("pk")
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last)[:BATCH])
        if not batch:
            return
        for row in batch:
            value = (row.metadata or {}).get("message_id") or (
                row.external_id if row.direction == "inbound" else ""
            )
            value = str(value or "").strip().strip("<>")[:255]
            if value and not value.startswith("sha256:"):
                row.message_id = value
        Interaction.objects.bulk_update(batch, ["message_id"])
        last = batch[-1].pk


class Migration(migrations.Migration):

    dependencies = [
        ("conversations", "0003_system_channel"),
    ]

    operations = keep_sqlite_triggers(
        migrations.AddField(
            model_name="interaction",
            name="message_id",
            field=models.CharField(
                blank=True, default="", max_length=255, verbose_name="Message-ID"
            ),
        ),
        migrations.AddIndex(
            model_name="interaction",
            index=models.Index(
                condition=models.Q(("message_id", ""), _negated=True),
                fields=["message_id"],
                name="interaction_message_id_idx",
            ),
        ),
    ) + [migrations.RunPython(backfill, migrations.RunPython.noop)]
