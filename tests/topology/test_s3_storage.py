"""Files in an S3-compatible bucket (moto's server on loopback): raw e-mail sources,
attachments and import uploads go through Django's storage API, so a deployment on
several machines keeps them in one place."""

from __future__ import annotations

from email.message import EmailMessage
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from amiable.accounts.models import User
from amiable.commerce.services.tracking_import import TRACKING_IMPORT
from amiable.conversations.models import Attachment
from amiable.inbound.models import InboundEmail
from amiable.inbound.services import email_ingest
from amiable.jobs.services import import_job_create, import_job_run
from tests.peers.s3_server import S3Server

pytestmark = pytest.mark.django_db(transaction=True)
PDF = b"%PDF-1.4\n% facture n\xc2\xb0 42\n" + bytes(range(256)) * 40


def _keys(s3_server: S3Server, bucket: str) -> dict[str, bytes]:
    client: Any = s3_server.client()
    listed = client.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {
        item["Key"]: client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
        for item in listed
    }


def _email_with_invoice(message_id: str) -> bytes:
    message = EmailMessage()
    message["From"] = "Zoé Lefèvre <zoe.lefevre@exemple.fr>"
    message["To"] = "support@amiable.localhost"
    message["Subject"] = "Facture erronée — commande n° 42"
    message["Message-ID"] = message_id
    message.set_content("Bonjour,\n\nLa facture jointe est fausse.\n\nZoé")
    message.add_attachment(
        PDF, maintype="application", subtype="pdf", filename="facture été.pdf"
    )
    return message.as_bytes()


def test_a_raw_source_and_its_attachment_land_in_the_bucket_once(
    s3_server: S3Server, s3_storage: str, settings: Any
) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    raw = _email_with_invoice("<facture-42@exemple.fr>")

    first = email_ingest(raw=raw, source="smtp")
    again = email_ingest(raw=raw, source="imap")

    stored = InboundEmail.objects.get(pk=first.email_id)
    attachment = Attachment.objects.get(interaction_id=first.interaction_id or 0)
    objects = _keys(s3_server, s3_storage)
    assert again.is_duplicate
    assert sorted(objects) == sorted([stored.raw.name, attachment.file.name])
    assert objects[stored.raw.name] == raw
    assert objects[attachment.file.name] == PDF
    assert stored.raw.name.startswith(f"inbound/{stored.raw_sha256[:2]}/")
    with stored.raw.open("rb") as handle:
        assert handle.read() == raw


def test_an_agent_downloads_an_attachment_kept_in_the_bucket(
    s3_storage: str, agent: User, settings: Any
) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    result = email_ingest(raw=_email_with_invoice("<dl@exemple.fr>"), source="smtp")
    attachment = Attachment.objects.get(interaction_id=result.interaction_id or 0)
    attachment.interaction.case.team = agent.team  # type: ignore[union-attr]
    attachment.interaction.case.save(update_fields=["team"])  # type: ignore[union-attr]
    client = Client()
    client.force_login(agent)

    response = client.get(f"/api/v1/interactions/attachments/{attachment.pk}")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]


def test_a_missing_object_is_a_404_not_a_crash(
    s3_server: S3Server, s3_storage: str, agent: User, settings: Any
) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    result = email_ingest(raw=_email_with_invoice("<gone@exemple.fr>"), source="smtp")
    attachment = Attachment.objects.get(interaction_id=result.interaction_id or 0)
    attachment.interaction.case.team = agent.team  # type: ignore[union-attr]
    attachment.interaction.case.save(update_fields=["team"])  # type: ignore[union-attr]
    s3_server.client().delete_object(Bucket=s3_storage, Key=attachment.file.name)
    client = Client()
    client.force_login(agent)

    response = client.get(f"/api/v1/interactions/attachments/{attachment.pk}")

    assert response.status_code == 404


def test_an_import_upload_is_kept_in_the_bucket_and_read_back_by_the_job(
    s3_server: S3Server, s3_storage: str, supervisor: User
) -> None:
    lines = ["carrier,tracking_number,event_id,status,occurred_at"] + [
        f"DPD,INCONNU{n},év{n},in_transit,2026-03-29T01:{n:02d}:00Z" for n in range(5)
    ]
    content = ("\n".join(lines) + "\n").encode()

    job = import_job_create(
        actor=supervisor, kind=TRACKING_IMPORT, content=content, source_name="dpd.csv"
    )
    done = import_job_run(job_id=job.pk)

    assert _keys(s3_server, s3_storage) == {job.source.name: content}
    assert (done.state, done.rows_done) == ("succeeded", 5)
    assert default_storage.exists(job.source.name)
