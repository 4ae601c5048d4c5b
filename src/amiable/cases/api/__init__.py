"""API of cases, mounted at ``/api/v1/cases``, and the global search, mounted at
``/api/v1/search``. The fixed paths (taxonomies, SLA policies, queues: ``tracks``)
are registered before the ``/{case_id}`` ones."""

from amiable.cases.api import (
    bulk,  # noqa: F401, I001 (a fixed path, before /{case_id})
    cases,  # noqa: F401
    configuration,  # noqa: F401
    custom_fields,  # noqa: F401
    merging,  # noqa: F401 (/merges/… before /{case_id})
    tracks,  # noqa: F401 (registers its operations first)
)
from amiable.cases.api.router import router
from amiable.cases.api.search import router as search_router

__all__ = ["router", "search_router"]
