"""May a promotional message about a product be sent to a customer?

Every marketing sender (newsletters, promotion campaigns, automation rules) must ask
``promotion_is_allowed`` before sending a message that promotes a product: a customer
who just bought it at a higher price must not get a promotion for it (price
protection, seed 003). The API answers the same question at
``GET /api/v1/gestures/promotions/allowed``.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from amiable.commerce.models import Product
from amiable.core.clock import now
from amiable.customers.models import Customer
from amiable.gestures.models import PromotionSuppression


def promotion_suppressions(
    *, customer_id: int, product_id: int, at: dt.datetime
) -> QuerySet[PromotionSuppression]:
    """The suppressions in force at ``at`` (start included, end excluded)."""
    return PromotionSuppression.objects.filter(
        customer_id=customer_id,
        product_id=product_id,
        starts_at__lte=at,
        ends_at__gt=at,
    ).order_by("-ends_at", "-id")


def promotion_is_allowed(
    *, customer: Customer, product: Product, at: dt.datetime | None = None
) -> bool:
    """False while a suppression covers (customer, product) at ``at`` (default:
    now). One query."""
    return not promotion_suppressions(
        customer_id=customer.pk, product_id=product.pk, at=at or now()
    ).exists()
