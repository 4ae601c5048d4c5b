"""The django-ninja API instance, mounted at /api/v1/.

Authentication (bearer token or session with CSRF), the one error format,
``Idempotency-Key`` on every POST, and each domain app's router.
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from amiable.accounts.api import router as accounts_router
from amiable.api.auth import API_AUTH
from amiable.api.error_responses import (
    install_error_handlers,
    method_not_allowed,
    path_not_found,
)
from amiable.api.idempotency import idempotent_posts
from amiable.cases.api import router as cases_router
from amiable.cases.api import search_router
from amiable.commerce.api import router as commerce_router
from amiable.conversations.api import outbox_router
from amiable.conversations.api import router as conversations_router
from amiable.core.access import access_of
from amiable.customers.api import router as customers_router
from amiable.disputes.api import router as disputes_router
from amiable.feedback.api import router as feedback_router
from amiable.gestures.api import router as gestures_router
from amiable.inbound.api import router as inbound_router
from amiable.macros.api import router as macros_router
from amiable.privacy.api import router as privacy_router
from amiable.promises.api import router as promises_router
from amiable.quality.api import router as quality_router
from amiable.sla.api import router as sla_router


def _json_405(view: Any) -> Any:
    """Ninja answers an unsupported method with plain text; answer JSON instead."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response: HttpResponseBase = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = [m.strip() for m in response.get("Allow", "").split(",")]
            return method_not_allowed([m for m in allowed if m])
        return response

    return wrapped


def _hoist_definitions(document: dict[str, Any]) -> None:
    """Copy the ``$defs`` of hand-written request schemas into the components.

    An ``openapi_extra`` body schema (``Model.model_json_schema``) carries its nested
    models in ``$defs`` while its references point at ``#/components/schemas``. The
    body schema is the route's own dict, shared by every build: left as it is.
    """
    components = document.setdefault("components", {}).setdefault("schemas", {})
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            content = operation.get("requestBody", {}).get("content", {})
            for media in content.values():
                definitions = media.get("schema", {}).get("$defs", {})
                for name, definition in definitions.items():
                    components.setdefault(name, definition)


class AmiableAPI(NinjaAPI):
    def _declare_access(self) -> None:
        """Publish each operation's ``@access`` rule as its ``x-access``."""
        for bound_router in self._get_bound_routers():
            for path_view in bound_router.path_operations.values():
                for operation in path_view.operations:
                    declared = access_of(operation.view_func)
                    if declared is not None:
                        operation.openapi_extra = {
                            **(operation.openapi_extra or {}),
                            "x-access": declared.document(),
                        }

    def get_openapi_schema(
        self,
        *,
        path_prefix: str | None = None,
        path_params: dict[str, Any] | None = None,
    ) -> OpenAPISchema:
        self._declare_access()
        document = super().get_openapi_schema(
            path_prefix=path_prefix, path_params=path_params
        )
        _hoist_definitions(document)
        return document

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        patterns = super()._get_urls()
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _json_405(pattern.callback)
        patterns.append(re_path(r"^.*$", path_not_found, name="not-found"))
        return patterns


api = AmiableAPI(
    title="Amiable API",
    version="1.0.0",
    description=(
        "Customers, orders, interactions and cases. Authenticate with "
        "`Authorization: Bearer <token>` (`amiable token create USERNAME`). "
        "Errors are `{code, message, fields}`; every POST honours `Idempotency-Key`; "
        "lists are keyset-paginated (`limit`, `cursor`)."
    ),
    urls_namespace="api",
    auth=API_AUTH,
)
install_error_handlers(api)
api.add_decorator(idempotent_posts, mode="view")
api.add_router("/", accounts_router, tags=["accounts"])
api.add_router("/customers", customers_router, tags=["customers"])
api.add_router("/", commerce_router, tags=["commerce"])
api.add_router("/interactions", conversations_router, tags=["interactions"])
api.add_router("/outbox", outbox_router, tags=["outbox"])
api.add_router("/cases", cases_router, tags=["cases"])
api.add_router("/feedback", feedback_router, tags=["feedback"])
api.add_router("/gestures", gestures_router, tags=["gestures"])
api.add_router("/", disputes_router, tags=["disputes"])
api.add_router("/", quality_router, tags=["quality"])
api.add_router("/promises", promises_router, tags=["promises"])
api.add_router("/sla", sla_router, tags=["sla"])
api.add_router("/inbound", inbound_router, tags=["inbound"])
api.add_router("/", search_router, tags=["search"])
api.add_router("/macros", macros_router, tags=["macros"])
api.add_router("/privacy", privacy_router, tags=["privacy"])
