"""Core building blocks: Money and the application error tree."""

from __future__ import annotations

from decimal import Decimal

import pytest

from amiable.cases.errors import CaseTransitionError, CaseVersionConflictError
from amiable.commerce.errors import DuplicateOrderReferenceError
from amiable.conversations.errors import AttachmentRejectedError
from amiable.core.errors import (
    ApplicationError,
    ConflictError,
    ErrorCode,
    NotAuthenticatedError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from amiable.core.money import Money
from amiable.customers.errors import IdentityTakenError, MergeNotAllowedError


def test_money_adds_exactly_in_decimal() -> None:
    price = Money(Decimal("19.99"), "EUR")

    total = (
        price
        + price
        + price
        + Money(Decimal("0.10"), "EUR")
        + Money(Decimal("0.20"), "EUR")
    )

    assert total == Money(Decimal("60.27"), "EUR")


def test_money_refuses_to_mix_currencies() -> None:
    with pytest.raises(ValueError, match="different currencies"):
        Money(Decimal(1), "EUR") + Money(Decimal(1), "USD")


@pytest.mark.parametrize(
    ("amount", "currency", "error"),
    [
        (19.99, "EUR", TypeError),
        (1, "EUR", TypeError),
        (Decimal(1), "EURO", ValueError),
        (Decimal(1), "E1R", ValueError),
        (Decimal(1), "", ValueError),
    ],
)
def test_money_refuses_floats_and_bad_currencies(
    amount: object, currency: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        Money(amount, currency)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("2.675", "EUR", "2.68"),
        ("2.665", "EUR", "2.66"),  # banker's rounding: half to even
        ("1234.5", "JPY", "1234"),
        ("1235.5", "JPY", "1236"),
        ("1.23456", "BHD", "1.235"),
        ("10", "EUR", "10.00"),
    ],
)
def test_money_quantizes_to_the_currency_exponent(
    amount: str, currency: str, expected: str
) -> None:
    quantized = Money(Decimal(amount), currency).quantized()

    assert str(quantized.amount) == expected
    assert quantized.currency == currency


@pytest.mark.parametrize(
    ("error", "code", "status", "family"),
    [
        (ValidationError, ErrorCode.VALIDATION, 422, ApplicationError),
        (NotAuthenticatedError, ErrorCode.NOT_AUTHENTICATED, 401, ApplicationError),
        (PermissionDeniedError, ErrorCode.PERMISSION_DENIED, 403, ApplicationError),
        (NotFoundError, ErrorCode.NOT_FOUND, 404, ApplicationError),
        (ConflictError, ErrorCode.CONFLICT, 409, ApplicationError),
        (IdentityTakenError, ErrorCode.DUPLICATE, 409, ConflictError),
        (DuplicateOrderReferenceError, ErrorCode.DUPLICATE, 409, ConflictError),
        (MergeNotAllowedError, ErrorCode.CONFLICT, 409, ConflictError),
        (CaseVersionConflictError, ErrorCode.VERSION_CONFLICT, 409, ConflictError),
        (CaseTransitionError, ErrorCode.INVALID_TRANSITION, 409, ConflictError),
        (AttachmentRejectedError, ErrorCode.ATTACHMENT_REJECTED, 422, ApplicationError),
    ],
)
def test_each_error_has_a_stable_code_and_status(
    error: type[ApplicationError], code: ErrorCode, status: int, family: type
) -> None:
    raised = error("Message", fields={"name": ["Required."]}, extra={"id": 3})

    assert (raised.code, raised.status) == (code, status)
    assert isinstance(raised, family)
    assert (raised.message, str(raised)) == ("Message", "Message")
    assert (raised.fields, raised.extra) == ({"name": ["Required."]}, {"id": 3})


def test_errors_default_to_empty_fields_and_extra() -> None:
    raised = NotFoundError("No such case.")

    assert (raised.fields, raised.extra) == ({}, {})
    assert str(ErrorCode.VERSION_CONFLICT) == "version_conflict"
