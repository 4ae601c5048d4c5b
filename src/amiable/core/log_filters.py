"""Logging filters: a refused request is one line in the log, not a traceback.

Django logs ``PermissionDenied`` with the exception attached, so every refusal
(an agent opening an administrator page, a crawler probing) printed a full stack
trace and buried real errors. A refusal is expected behaviour: keep the line
("Forbidden (Permission denied): /path"), drop the trace.
"""

from __future__ import annotations

import logging

REFUSAL_STATUSES = frozenset({401, 403, 404, 405, 410, 429})


class OneLineRefusals(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in REFUSAL_STATUSES:
            record.exc_info = None
            record.exc_text = None
        return True
