"""Absolute links to the confirmation page, for the email."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from amiable.quality.signing import token_make

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


def public_url() -> str:
    return str(getattr(settings, "AMIABLE_PUBLIC_URL", DEFAULT_PUBLIC_URL)).rstrip("/")


def confirmation_path(public_key: str) -> str:
    return reverse("quality_public:confirm", args=[token_make(public_key)])


def confirmation_url(public_key: str, *, answer: str = "") -> str:
    base = public_url() + confirmation_path(public_key)
    return f"{base}?answer={answer}" if answer else base
