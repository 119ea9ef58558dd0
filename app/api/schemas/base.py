from __future__ import annotations

from typing import Annotated, ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

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


class Input(BaseModel):
    """Request bodies refuse unknown fields: a typo is an error, not a silent no-op."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Output(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class PatchInput(Input):
    """PATCH bodies: only the fields sent change. ``null`` is accepted only for fields that may be
    empty (``NULLABLE``); for the others it is a 422, never a silent "unset"."""

    NULLABLE: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="after")
    def _no_null_for_required(self) -> Self:
        nulls = sorted(
            name for name in self.model_fields_set if getattr(self, name) is None and name not in self.NULLABLE
        )
        if nulls:
            raise ValueError(f"these fields cannot be null: {', '.join(nulls)}")
        return self
