"""Inbound services: every write of the inbound channels."""

from amiable.inbound.services.acknowledgement import (
    acknowledgement_send,
    auto_message_allowed,
)
from amiable.inbound.services.channels import (
    ChannelMessage,
    ChannelResult,
    IdentityRef,
    channel_message_receive,
    webhook_receipts_purge,
)
from amiable.inbound.services.imports import (
    ImportedEmail,
    ImportReport,
    email_import,
)
from amiable.inbound.services.ingestion import (
    IngestResult,
    dedupe_key_of,
    email_ingest,
)
from amiable.inbound.services.replay import email_replay
from amiable.inbound.services.reviews import (
    review_receive,
    review_reply_draft_save,
    review_reply_publish,
)

__all__ = [
    "ChannelMessage",
    "ChannelResult",
    "IdentityRef",
    "ImportReport",
    "ImportedEmail",
    "IngestResult",
    "acknowledgement_send",
    "auto_message_allowed",
    "dedupe_key_of",
    "email_import",
    "email_ingest",
    "channel_message_receive",
    "email_replay",
    "review_receive",
    "review_reply_draft_save",
    "review_reply_publish",
    "webhook_receipts_purge",
]
