"""Factories of the portal tests."""

from __future__ import annotations

import factory
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory

from amiable.conversations.models import Attachment


class AttachmentFactory(DjangoModelFactory[Attachment]):
    class Meta:
        model = Attachment

    filename = "facture.pdf"
    content_type = "application/pdf"
    size = 8
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    file = factory.LazyAttribute(lambda a: ContentFile(b"%PDF-1.4", name=a.sha256))
