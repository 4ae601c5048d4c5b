"""Per-request context (request id) readable by services for the audit log."""

from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("amiable_request_id", default="")


def current_request_id() -> str:
    return request_id_var.get()
