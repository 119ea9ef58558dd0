"""The base of every domain event, its JSON payload and the catalogue of public event types (which
lists the subclasses: importing this module imports the package, and with it every area's events)."""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any, ClassVar
from uuid import UUID

_sequence = itertools.count()


@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    event_type: ClassVar[str] = "event"
    # Raising order within the process: the unit of work writes a use case's events in this order.
    sequence: int = field(default_factory=lambda: next(_sequence), init=False, repr=False, compare=False)

    def payload(self) -> dict[str, Any]:
        """The JSON-ready body a webhook receiver gets (ids as strings, times ISO-8601)."""
        return {f.name: _jsonable(getattr(self, f.name)) for f in dataclasses.fields(self) if f.name != "sequence"}


def _jsonable(value: Any) -> Any:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def event_types() -> frozenset[str]:
    """Every public event type the service raises (the webhook catalogue)."""
    found: set[str] = set()
    pending: list[type[DomainEvent]] = [DomainEvent]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if "event_type" in vars(cls) and cls is not DomainEvent:
            found.add(cls.event_type)
    return frozenset(found)
