"""The django-ninja API instance: mounted at /api/v1/."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="Amiable API",
    version="1.0.0",
    description="Customers, orders, interactions and cases.",
    urls_namespace="api",
)
