"""The error tree: every business rule broken in a service raises one of these.

Each error carries a stable machine code (used by the API's JSON body and by tests),
a human message (translated) and, where it applies, the offending fields.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    VALIDATION = "validation_error"
    MALFORMED = "malformed_request"
    NOT_AUTHENTICATED = "not_authenticated"
    PERMISSION_DENIED = "permission_denied"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    DUPLICATE = "duplicate"
    VERSION_CONFLICT = "version_conflict"
    IDEMPOTENCY_MISMATCH = "idempotency_key_reused"
    IDEMPOTENCY_IN_PROGRESS = "idempotency_key_in_progress"
    INVALID_TRANSITION = "invalid_transition"
    ATTACHMENT_REJECTED = "attachment_rejected"
    RATE_LIMITED = "rate_limited"
    ABOVE_AUTHORITY = "above_authority"
    BUDGET_EXHAUSTED = "budget_exhausted"
    SELF_APPROVAL = "self_approval"
    CONFIRMATION_REQUIRED = "confirmation_required"
    SIGNATURE_INVALID = "signature_invalid"
    WEBHOOK_SIGNATURE = "webhook_signature_invalid"
    WEBHOOK_REPLAYED = "webhook_replayed"
    SECRET_UNREADABLE = "secret_unreadable"  # noqa: S105 - an error code
    CASE_MERGE_REFUSED = "case_merge_refused"
    CASE_ALREADY_MERGED = "case_already_merged"
    UNDO_EXPIRED = "undo_expired"
    ALREADY_UNDONE = "already_undone"


class ApplicationError(Exception):
    """Base of every expected failure. Maps to a 4xx response."""

    code: ErrorCode = ErrorCode.VALIDATION
    status: int = 422

    def __init__(
        self,
        message: str,
        *,
        fields: dict[str, list[str]] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.extra = extra or {}


class ValidationError(ApplicationError):
    code = ErrorCode.VALIDATION
    status = 422


class NotAuthenticatedError(ApplicationError):
    code = ErrorCode.NOT_AUTHENTICATED
    status = 401


class PermissionDeniedError(ApplicationError):
    code = ErrorCode.PERMISSION_DENIED
    status = 403


class NotFoundError(ApplicationError):
    code = ErrorCode.NOT_FOUND
    status = 404


class ConflictError(ApplicationError):
    code = ErrorCode.CONFLICT
    status = 409


class DuplicateError(ConflictError):
    code = ErrorCode.DUPLICATE


class VersionConflictError(ConflictError):
    code = ErrorCode.VERSION_CONFLICT


class InvalidTransitionError(ConflictError):
    code = ErrorCode.INVALID_TRANSITION
