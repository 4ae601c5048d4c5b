"""An event handler that blocks until the test opens a gate (worker crash test).

It writes ``started-<pid>`` in ``AMIABLE_CRASH_DIR`` when it starts, waits for the
file ``open`` there, then writes its one effect (an audit event) in the delivery's
transaction.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from amiable.audit.services import audit_record
from amiable.events.catalogue import CaseAssigned
from amiable.events.models import DomainEvent
from amiable.events.registry import event_handler

HANDLED = "crash_test.handled"


def blocking_handler(event: CaseAssigned) -> None:
    gate = Path(os.environ["AMIABLE_CRASH_DIR"])
    (gate / f"started-{os.getpid()}").touch()
    while not (gate / "open").exists():
        time.sleep(0.05)
    row = DomainEvent.objects.filter(name=CaseAssigned.name).latest("id")
    audit_record(actor=None, action=HANDLED, instance=row, actor_label="test")


def blocking_handler_register() -> str:
    """Register the handler (the worker process and the test, never at import:
    other tests' deliveries must not block); returns its name."""
    event_handler(CaseAssigned)(blocking_handler)
    return f"{blocking_handler.__module__}.{blocking_handler.__qualname__}"
