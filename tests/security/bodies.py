"""Request bodies that pass an operation's OpenAPI request schema.

Built from the schema itself (its ``examples``, ``default``, ``enum``, formats and
bounds), so a refusal in the access matrix is the permission check's and not the
validation's, and an allowed write reaches the handler. Properties named like a path
parameter (``case_id``, ``customer_id``…) take the scene's real ids.
"""

from __future__ import annotations

from typing import Any

FORMATS = {
    "date-time": "2026-03-02T10:30:00+01:00",
    "date": "2026-03-02",
    "time": "10:30:00",
    "email": "matrice.acces@example.com",
    "uri": "https://example.com/matrice",
    "uuid": "5f0c6c52-4a84-4c1b-8a47-3f55b1c1d2a7",
    "duration": "P1D",
}
# Strings whose pattern the generator cannot invent: a value per property name.
NAMED_STRINGS = {
    "currency": "EUR",
    "phone": "+33612345678",
    "country": "FR",
    "language": "fr",
    "timezone": "Europe/Paris",
    "time_zone": "Europe/Paris",
    "color": "#336699",
    "colour": "#336699",
    "email": "matrice.acces@example.com",
}


class BodyBuilder:
    """Values for a document's schemas; ``ids`` maps id property names to ids."""

    def __init__(self, document: dict[str, Any], ids: dict[str, str]) -> None:
        self.components: dict[str, Any] = document.get("components", {}).get(
            "schemas", {}
        )
        self.ids = ids

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = self.components[schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    def value(self, schema: dict[str, Any], name: str = "", depth: int = 0) -> Any:
        schema = self.resolve(schema)
        for key in ("examples", "example", "const", "enum", "default"):
            # An empty default text is filled in: a body with every text empty is
            # often refused by the schema's own validators.
            if key in schema and schema[key] != "":
                found = schema[key]
                return found[0] if key in {"examples", "enum"} else found
        for key in ("anyOf", "oneOf"):
            if key in schema:
                choices = [
                    s for s in schema[key] if self.resolve(s).get("type") != "null"
                ]
                return self.value(choices[0], name, depth) if choices else None
        if "allOf" in schema:
            return self.value(schema["allOf"][0], name, depth)
        kind = schema.get("type", "object" if "properties" in schema else "string")
        if kind == "object":
            return self.object(schema, depth)
        if kind == "array":
            count = max(1, int(schema.get("minItems", 1)))
            item = self.value(schema.get("items", {}), name, depth + 1)
            return [item] * count if count == 1 or item is None else [item]
        if kind in {"integer", "number"}:
            return self.number(schema, name)
        if kind == "boolean":
            return False
        return self.string(schema, name)

    def object(self, schema: dict[str, Any], depth: int) -> dict[str, Any]:
        properties: dict[str, Any] = schema.get("properties", {})
        required = set(schema.get("required", []))
        if depth > 3:
            return {}
        return {
            key: self.value(sub, key, depth + 1)
            for key, sub in properties.items()
            if key in required or "default" in self.resolve(sub)
        }

    def number(self, schema: dict[str, Any], name: str) -> int | float:
        if name in self.ids:
            return int(self.ids[name])
        if name.endswith("_ids") and name[:-1] in self.ids:
            return int(self.ids[name[:-1]])
        low = schema.get("minimum", schema.get("exclusiveMinimum", 0))
        value = max(1, int(low) + (1 if "exclusiveMinimum" in schema else 0))
        high = schema.get("maximum")
        return min(value, int(high)) if high is not None else value

    def string(self, schema: dict[str, Any], name: str) -> str:
        if name in self.ids:
            return self.ids[name]
        if schema.get("format") in FORMATS:
            return FORMATS[schema["format"]]
        if name in NAMED_STRINGS:
            return NAMED_STRINGS[name]
        length = max(int(schema.get("minLength", 0)), 8)
        length = min(length, int(schema.get("maxLength", length)))
        return ("matrice " * 10)[:length].strip() or "m" * length

    def body(self, operation: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
        """(media type, value) of the operation's request body, None without one."""
        content = operation.get("requestBody", {}).get("content", {})
        for media in ("application/json", "multipart/form-data"):
            if media in content:
                return media, self.value(content[media].get("schema", {}))
        if content:
            return next(iter(content)), {}
        return None
