"""Background tasks of the inbound channels."""

from __future__ import annotations

from amiable.core.tasks import retrying_task


@retrying_task()
def mailboxes_poll_task() -> int:
    """Enqueue one poll per active IMAP mailbox that is due; returns how many."""
    from amiable.inbound.imap import mailboxes_poll_due

    return mailboxes_poll_due()


@retrying_task()
def mailbox_poll_task(*, mailbox_id: int) -> int:
    """Poll one mailbox (idempotent: already ingested messages are skipped)."""
    from amiable.inbound.imap import mailbox_poll

    return mailbox_poll(mailbox_id=mailbox_id).ingested


@retrying_task()
def webhook_receipts_purge_task() -> int:
    """Forget nonces older than the signature window (replays are refused by the
    timestamp check past it)."""
    from amiable.inbound.services import webhook_receipts_purge

    return webhook_receipts_purge()
