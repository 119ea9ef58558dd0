"""Building GraphQL objects from the domain's read models."""

from __future__ import annotations

from enum import Enum
from typing import Any, TypeVar

from strawberry.types.base import get_object_definition

T = TypeVar("T")
E = TypeVar("E", bound=Enum)


def build(cls: type[T], origin: object, /, **given: Any) -> T:
    """``cls`` with each plain field taken from the attribute of ``origin`` of the same name, except
    the ones ``given`` (converted values, and private fields)."""
    definition = get_object_definition(cls, strict=True)
    names = [field.python_name for field in definition.fields if field.base_resolver is None]
    values = {name: given[name] if name in given else getattr(origin, name) for name in names}
    values.update({name: value for name, value in given.items() if name not in values})
    return cls(**values)


def enum(kind: type[E], value: object) -> E:
    """The GraphQL enum member whose value is the domain's string."""
    return kind(str(value))


def maybe_enum(kind: type[E], value: object | None) -> E | None:
    return None if value is None else kind(str(value))
