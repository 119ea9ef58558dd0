from __future__ import annotations

import json
from typing import Annotated, Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field, GetJsonSchemaHandler, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema as cs

from app.domain.text import refuse_nul

# The shape of a role-turn policy; the domain (TurnPolicy.parse) has the final word on its values.
TurnPolicyText = Annotated[
    str,
    Field(
        max_length=60,
        pattern=r"^(fixed|primary_with_exchange|alternate\(\d{1,2}\)|senior_first\(\d{1,2}\))$",
        description="`fixed`, `alternate(N)`, `senior_first(K)` or `primary_with_exchange`.",
        examples=["alternate(1)"],
    ),
]

# Inputs are stripped before their length is checked, so a text that must not be empty must hold
# one character Python does not strip: the documented pattern says exactly that to clients (it is
# Python's whitespace, which differs from JavaScript's \s by U+001C–U+001F and U+0085).
NOT_BLANK = r"[^\s\x1c-\x1f\x85]"


def person_ids(max_items: int, description: str | None = None) -> Any:
    """A list of people, each named once (the domain refuses repeats with ``person_named_twice``)."""
    return Field(max_length=max_items, description=description, json_schema_extra={"uniqueItems": True})


def _document_not_blank(schema: dict[str, Any]) -> None:
    if schema.get("type") == "string" and schema.get("minLength", 0) >= 1 and "pattern" not in schema:
        schema["pattern"] = NOT_BLANK
    for branch in schema.get("anyOf", []):
        _document_not_blank(branch)
    if isinstance(schema.get("items"), dict):
        _document_not_blank(schema["items"])


def _default_in_words(schema: dict[str, Any]) -> None:
    """Say a request field's default in its description instead of ``default``: a generator such as
    openapi-typescript (default settings) reads ``default`` as "always present" and would make the
    client send every defaulted field. Query parameters keep ``default``: there it helps."""
    if "default" not in schema:
        return
    default = schema.pop("default")
    if default in (None, "", [], {}):
        return
    words = f"Default: `{json.dumps(default, ensure_ascii=False)}`."
    schema["description"] = f"{schema['description'].rstrip()} {words}" if schema.get("description") else words


class Input(BaseModel):
    """Request bodies refuse unknown fields (a typo is an error, not a silent no-op) and text with a
    NUL character anywhere (``text_contains_nul``, the domain's rule)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        refuse_nul(data, "body")
        return data

    @classmethod
    def __get_pydantic_json_schema__(cls, core: cs.CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        reference = handler(core)
        schema = handler.resolve_ref_schema(reference)
        for prop in schema.get("properties", {}).values():
            _document_not_blank(prop)
            _default_in_words(prop)
        cls._document(schema)
        return reference

    @classmethod
    def _document(cls, schema: dict[str, Any]) -> None:
        """Subclasses adjust their JSON schema here."""


class Output(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class PatchInput(Input):
    """PATCH bodies: only the fields sent change. ``null`` is accepted only for fields that may be
    empty (``NULLABLE``); for the others it is a 422, never a silent "unset" — and the contract says
    so: their schema admits no ``null``."""

    NULLABLE: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="after")
    def _no_null_for_required(self) -> Self:
        nulls = sorted(
            name for name in self.model_fields_set if getattr(self, name) is None and name not in self.NULLABLE
        )
        if nulls:
            raise ValueError(f"these fields cannot be null: {', '.join(nulls)}")
        return self

    @classmethod
    def _document(cls, schema: dict[str, Any]) -> None:
        for name, prop in schema.get("properties", {}).items():
            if name in cls.NULLABLE:
                continue
            prop.pop("default", None)
            branches = [b for b in prop.get("anyOf", []) if b.get("type") != "null"]
            if "anyOf" in prop and len(branches) == 1:
                del prop["anyOf"]
                prop.update(branches[0])
            elif "anyOf" in prop:
                prop["anyOf"] = branches
