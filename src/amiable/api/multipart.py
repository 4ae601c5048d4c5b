"""One body, two encodings: JSON, or form fields sent beside files (multipart).

``payload: JsonOrForm[CaseReplyIn]`` reads a JSON body as ``Body`` does, and reads the
same fields from ``request.POST`` when the request is ``multipart/form-data`` or
``application/x-www-form-urlencoded`` — so an endpoint can take ``File[...]`` uploads
without breaking its JSON clients. ``JSON_OR_MULTIPART`` documents both encodings in
the OpenAPI document (ninja alone would document only the multipart one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from django.http import HttpRequest
from ninja.params.models import BodyModel, FormModel, Param

if TYPE_CHECKING:
    from ninja import NinjaAPI

FORM_CONTENT_TYPES = {"multipart/form-data", "application/x-www-form-urlencoded"}


class _JsonOrFormModel(FormModel):
    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        # Errors keep their full location ("form", <parameter>, field...), as a JSON
        # body's do, rather than ninja's flattened one for top-level fields only.
        cls.__ninja_flatten_map_reverse__ = {}  # type: ignore[attr-defined]

    @classmethod
    def get_request_data(
        cls, request: HttpRequest, api: NinjaAPI, path_params: dict[str, Any]
    ) -> dict[str, Any] | None:
        data = super().get_request_data(request, api, path_params)
        # Browsers and curl send an untouched optional field as "": leave it unset.
        return {key: value for key, value in (data or {}).items() if value != ""}

    @classmethod
    def resolve(
        cls, request: HttpRequest, api: NinjaAPI, path_params: dict[str, Any]
    ) -> Any:
        if request.content_type in FORM_CONTENT_TYPES:
            return super().resolve(request, api, path_params)
        # JSON: validate the whole body against the schema, unknown fields included.
        flatten_map: dict[str, tuple[str, ...]] = getattr(  # noqa: B009 - untyped
            cls, "__ninja_flatten_map__"
        )
        (name,) = {path[0] for path in flatten_map.values()}
        body = BodyModel.get_request_data(request, api, path_params)
        return cls.model_validate(
            {name: {} if body is None else body}, context={"request": request}
        )


class JsonOrFormParam(Param):  # type: ignore[misc]
    _model = _JsonOrFormModel

    @classmethod
    def _param_source(cls) -> str:
        return "form"


if TYPE_CHECKING:
    T = TypeVar("T")
    JsonOrForm = Annotated[T, JsonOrFormParam(...)]
else:

    class JsonOrForm:
        """``JsonOrForm[Schema]``: the annotation of such a body parameter."""

        def __class_getitem__(cls, item: Any) -> Any:
            return Annotated[item, JsonOrFormParam(...)]


def json_or_multipart(schema_ref: str) -> dict[str, Any]:
    """``openapi_extra`` adding the JSON encoding beside the multipart one."""
    return {
        "requestBody": {
            "content": {
                "application/json": {
                    "schema": {"$ref": f"#/components/schemas/{schema_ref}"}
                }
            }
        }
    }
