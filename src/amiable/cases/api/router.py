"""The one router of ``/api/v1/cases``: the modules of this package add their
operations to it, fixed paths (``tracks``) before ``/{case_id}`` ones."""

from ninja import Router

router = Router()
