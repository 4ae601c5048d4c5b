"""``/api/v1/cases/settings/custom-fields``: the custom fields of cases, listed for
every staff member, defined and changed by administrators (audited). A case's
values are read and set on the case itself (``custom_fields`` of its schemas)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.responses import Status

from amiable.api.auth import actor_of
from amiable.api.schemas import ErrorOut, Id
from amiable.cases import selectors, services
from amiable.cases.api.router import router
from amiable.cases.models import CustomField
from amiable.cases.schemas import CustomFieldIn, CustomFieldOut
from amiable.core.access import ADMIN, STAFF, access
from amiable.core.errors import NotFoundError

ERRORS: dict[int, type[ErrorOut]] = dict.fromkeys(
    (400, 401, 403, 404, 409, 422), ErrorOut
)
PATH = "/settings/custom-fields"


@router.get(PATH, response={200: list[CustomFieldOut], **ERRORS})
@access(STAFF)
def custom_field_list_api(request: HttpRequest) -> list[CustomField]:
    """The custom fields of cases, active ones first by position."""
    return list(
        selectors.custom_field_list(
            actor=actor_of(request), active_only=False
        ).order_by("-is_active", "position", "key")
    )


@router.post(PATH, response={201: CustomFieldOut, **ERRORS})
@access(ADMIN)
def custom_field_create_api(
    request: HttpRequest, payload: CustomFieldIn
) -> Status[CustomField]:
    """Define a custom field of cases (administrators; audited)."""
    field = services.custom_field_save(actor=actor_of(request), **payload.dict())
    return Status(201, field)


@router.put(PATH + "/{field_id}", response={200: CustomFieldOut, **ERRORS})
@access(ADMIN)
def custom_field_update_api(
    request: HttpRequest, field_id: Id, payload: CustomFieldIn
) -> CustomField:
    """Change a custom field's labels, choices, position or activity; its key and
    type stay (422 otherwise)."""
    actor = actor_of(request)
    field = (
        selectors.custom_field_list(actor=actor, active_only=False)
        .filter(pk=field_id)
        .first()
    )
    if field is None:
        raise NotFoundError(_("No such custom field."))
    return services.custom_field_save(actor=actor, field=field, **payload.dict())
