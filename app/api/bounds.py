"""Bounds the domain enforces, shown in the API description.

A request schema annotates a field with the domain's own :class:`~app.domain.bounds.Bound` (or a
length limit): the OpenAPI document states the bound, and the check is left to the domain, so a
value out of range is refused with the rule's own code (e.g. ``duration_out_of_range``) whether it
came over REST, GraphQL or the CLI — one definition, one code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from app.domain.bounds import Bound


@dataclass(frozen=True)
class Documented:
    """JSON Schema keywords added to a field's description, without validating them here."""

    keywords: tuple[tuple[str, int], ...]

    def __get_pydantic_json_schema__(self, core_schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        schema: dict[str, Any] = handler(core_schema)
        schema.update(self.keywords)
        return schema


def within(bound: Bound) -> Documented:
    """``minimum`` / ``maximum`` of a number, as the domain bound says."""
    return Documented(
        tuple((k, v) for k, v in (("minimum", bound.minimum), ("maximum", bound.maximum)) if v is not None)
    )


def at_most(length: int) -> Documented:
    """``maxLength`` of a text the domain limits."""
    return Documented((("maxLength", length),))
