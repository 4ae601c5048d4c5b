"""The addresses replies are sent from, for apps below the one that owns them.

A reply to an email goes out from the support mailbox the customer wrote to, with
that mailbox's name and signature. Mailboxes belong to ``inbound``, which sits above
``cases`` and ``conversations``; it registers the one lookup in its
``AppConfig.ready``::

    mail_sender_register(mailbox_sender)   # (address) -> MailSender | None

and the reply service asks ``mail_sender_for(address)`` while it records the reply.
Without a registered lookup (or for an unknown address) the answer is None and the
reply goes from the default sender.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class MailSender:
    address: str
    name: str = ""
    signature: str = ""


MailSenderLookup = Callable[[str], "MailSender | None"]

_LOOKUPS: list[MailSenderLookup] = []


def mail_sender_register(lookup: MailSenderLookup) -> None:
    """Set the lookup (one per deployment; registering again replaces it)."""
    _LOOKUPS[:] = [lookup]


def mail_sender_for(address: str) -> MailSender | None:
    """The sender of ``address`` (an active support mailbox), or None."""
    if not _LOOKUPS or not address:
        return None
    return _LOOKUPS[0](address)
