"""Factories of the inbound app."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from amiable.inbound.models import Mailbox, WebhookKind, WebhookSource


class MailboxFactory(DjangoModelFactory[Mailbox]):
    class Meta:
        model = Mailbox

    name = factory.Sequence(lambda n: f"Support {n}")
    address = factory.Sequence(lambda n: f"support{n}@amiable.localhost")
    imap_host = ""


class WebhookSourceFactory(DjangoModelFactory[WebhookSource]):
    class Meta:
        model = WebhookSource

    slug = factory.Sequence(lambda n: f"source-{n}")
    name = factory.Sequence(lambda n: f"Source {n}")
    kind = WebhookKind.SMS
    secret = factory.Sequence(lambda n: f"secret-{n}-0123456789abcdef")
