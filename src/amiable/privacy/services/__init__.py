"""Services of personal data: requests, the export, the erasure, retention."""

from amiable.privacy.services.erasure import data_request_erase
from amiable.privacy.services.export import data_request_export
from amiable.privacy.services.requests import (
    data_request_archive_opened,
    data_request_create,
    legal_due_at,
    portal_export_request,
)
from amiable.privacy.services.runner import data_request_fail, data_request_run

__all__ = [
    "data_request_archive_opened",
    "data_request_create",
    "data_request_erase",
    "data_request_export",
    "data_request_fail",
    "data_request_run",
    "legal_due_at",
    "portal_export_request",
]
