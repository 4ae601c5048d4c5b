"""Money: a Decimal amount with an ISO 4217 currency, never a float."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from django.db import models
from django_stubs_ext import StrOrPromise

CURRENCY_EXPONENTS = {"JPY": 0, "KRW": 0, "BHD": 3, "KWD": 3, "TND": 3}
CURRENCY_MAX_DIGITS = 14
CURRENCY_DECIMAL_PLACES = 2
# Every amount column holds less than this (14 digits, 2 of them decimals).
AMOUNT_LIMIT = Decimal(10) ** (CURRENCY_MAX_DIGITS - CURRENCY_DECIMAL_PLACES)


def currency_field(verbose_name: StrOrPromise) -> models.CharField[str, str]:
    """A three-letter ISO 4217 code column."""
    return models.CharField(verbose_name, max_length=3, default="EUR")


def amount_field(
    verbose_name: StrOrPromise, default: Decimal | int | None = None
) -> models.DecimalField[Decimal, Decimal]:
    """A Decimal amount column wide enough for any order total."""
    if default is None:
        return models.DecimalField(
            verbose_name,
            max_digits=CURRENCY_MAX_DIGITS,
            decimal_places=CURRENCY_DECIMAL_PLACES,
        )
    return models.DecimalField(
        verbose_name,
        max_digits=CURRENCY_MAX_DIGITS,
        decimal_places=CURRENCY_DECIMAL_PLACES,
        default=Decimal(default),
    )


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError("Money.amount must be a Decimal")
        if len(self.currency) != 3 or not self.currency.isalpha():
            raise ValueError(f"Not an ISO 4217 currency: {self.currency!r}")

    def quantized(self) -> Money:
        places = CURRENCY_EXPONENTS.get(self.currency, 2)
        exponent = Decimal(1).scaleb(-places)
        return Money(self.amount.quantize(exponent, ROUND_HALF_EVEN), self.currency)

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise ValueError("Cannot add amounts in different currencies")
        return Money(self.amount + other.amount, self.currency)
