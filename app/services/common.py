"""Small rules every use case shares: optimistic concurrency."""

from __future__ import annotations

from typing import Protocol

from app.domain.errors import DomainError


class Versioned(Protocol):
    @property
    def version(self) -> int: ...


def ensure_version(entity: Versioned, expected: int | None, noun: str) -> None:
    """``expected`` comes from If-Match; None means the caller did not ask for a check."""
    if expected is not None and entity.version != expected:
        raise DomainError(
            code="stale_version",
            detail=f"The {noun} is at version {entity.version}, not {expected}; reload it and try again.",
            kind="precondition",
        )
