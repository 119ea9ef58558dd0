"""Partial changes (a ``PATCH``): which fields a caller sent, told apart from the values they sent.

A change is a frozen dataclass whose fields default to :data:`UNSET`; ``None`` stays a value (it
clears a field that may be empty).
"""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import Final


class Unset(Enum):
    """A field the change leaves as it is."""

    UNSET = "unset"

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = Unset.UNSET


def sent(change: object) -> dict[str, object]:
    """The fields a change sets, by name, in the order the dataclass declares them."""
    assert dataclasses.is_dataclass(change)
    return {
        f.name: value for f in dataclasses.fields(change) if not isinstance(value := getattr(change, f.name), Unset)
    }
