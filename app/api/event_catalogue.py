"""The catalogue of domain events with the JSON Schema of each payload.

It is exported to ``openapi/events.json`` by ``turnabout export-openapi`` and checked for drift in
CI like the OpenAPI document: event payloads are a public contract (webhook receivers build on them)
and change only on purpose.
"""

from __future__ import annotations

import dataclasses
import inspect
import typing
from typing import Any

from pydantic import TypeAdapter

from app.domain import events


def event_classes() -> list[type[events.DomainEvent]]:
    found = [
        cls
        for _, cls in inspect.getmembers(events, inspect.isclass)
        if issubclass(cls, events.DomainEvent) and cls is not events.DomainEvent and "event_type" in vars(cls)
    ]
    return sorted(found, key=lambda cls: cls.event_type)


def catalogue() -> dict[str, Any]:
    """``{event_type: {"description", "payload": JSON Schema}}`` for every event the service raises."""
    result: dict[str, Any] = {}
    for cls in event_classes():
        hints = typing.get_type_hints(cls)
        properties = {
            f.name: TypeAdapter(hints[f.name]).json_schema() for f in dataclasses.fields(cls) if f.name != "sequence"
        }
        result[cls.event_type] = {
            "description": _description(cls),
            "payload": {
                "type": "object",
                "properties": properties,
                "required": sorted(properties),
                "additionalProperties": False,
            },
        }
    return result


def _description(cls: type) -> str:
    doc = inspect.cleandoc(cls.__doc__ or "")
    return "" if doc.startswith(f"{cls.__name__}(") else doc  # dataclasses invent a signature


_EXAMPLE_ID = "0193a5f2-7c4e-7b1a-9d2e-3f4a5b6c7d8e"


def example_payload(schema: dict[str, Any]) -> Any:
    """A value that fits ``schema``: what a receiver's documentation shows for each event type."""
    if "anyOf" in schema:
        branches = [b for b in schema["anyOf"] if b.get("type") != "null"]
        return example_payload(branches[0]) if branches else None
    kind = schema.get("type")
    if kind == "object":
        return {name: example_payload(prop) for name, prop in schema.get("properties", {}).items()}
    if kind == "array":
        return [example_payload(schema.get("items", {}))]
    if kind == "string":
        return {"uuid": _EXAMPLE_ID, "date-time": "2026-12-01T09:30:00Z", "date": "2026-12-01"}.get(
            schema.get("format", ""), "example"
        )
    if kind == "integer":
        return 1
    if kind == "number":
        return 0.5
    if kind == "boolean":
        return True
    return None
