"""Schemathesis hooks of the long fuzz run (``scripts/fuzz_api.sh``)."""

from __future__ import annotations

import schemathesis

# Raw RFC 822 messages (the inbound email hook) are sent as the bytes generated.
schemathesis.serializer.alias("message/rfc822", "application/octet-stream")
