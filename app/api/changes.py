"""From a ``PATCH`` body to the domain's typed change: a field the caller left out is ``UNSET``.

The schemas refuse an explicit ``null`` for fields that cannot be empty, so for those ``None``
means "not sent"; fields that may be emptied are told apart by whether the caller sent them.
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel

from app.domain.changes import UNSET, Unset

T = TypeVar("T")


def given(value: T | None) -> T | Unset:
    """A field that cannot be emptied: absent (``None``) leaves it as it is."""
    return UNSET if value is None else value


def sent(body: BaseModel, name: str, value: T | None) -> T | Unset | None:
    """A field that may be emptied: ``null`` empties it, leaving it out keeps it."""
    return value if name in body.model_fields_set else UNSET
