"""Time, ids and keyset pages: what every port and service shares."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Protocol, TypeVar
from uuid import UUID

T = TypeVar("T")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...


class IdGenerator(Protocol):
    def new_id(self) -> UUID:
        """A fresh time-ordered id (UUIDv7)."""
        ...


@dataclass(frozen=True)
class PageRequest:
    """Keyset pagination: items after ``after`` (an id), in id order (ids are time-ordered)."""

    limit: int = 50
    after: UUID | None = None


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_after: UUID | None = None
