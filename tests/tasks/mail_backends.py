"""Mail backends standing for an SMTP server that is down."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend


class DownEmailBackend(BaseEmailBackend):
    """Every send fails."""

    def send_messages(self, email_messages: Sequence[Any]) -> int:
        raise ConnectionRefusedError("smtp down")


class FlakyEmailBackend(BaseEmailBackend):
    """The first send of the process fails, the next ones succeed."""

    sends = 0

    def send_messages(self, email_messages: Sequence[Any]) -> int:
        FlakyEmailBackend.sends += 1
        if FlakyEmailBackend.sends == 1:
            raise ConnectionRefusedError("smtp down")
        return len(email_messages)
