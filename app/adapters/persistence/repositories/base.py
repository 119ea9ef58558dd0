"""A small data mapper: rows in, domain aggregates out, changes written back with a version check.

Each repository tracks the aggregates it loaded or added during one unit of work together with a
snapshot of their column values. At commit the unit of work asks every repository to ``flush``:
new aggregates are inserted, changed ones are updated with ``WHERE version = <loaded version>`` and
their version bumped — a concurrent writer in between makes the update miss and the use case fails
with ``stale_version`` instead of silently overwriting (optimistic concurrency, the ETag's twin).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Generic, Protocol, TypeVar
from uuid import UUID

from sqlalchemy import Select, Table, insert, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.errors import DomainError
from app.domain.events import DomainEvent
from app.domain.ports import Page, PageRequest


class Aggregate(Protocol):
    id: UUID
    version: int


class HasEvents(Protocol):
    events: list[DomainEvent]


A = TypeVar("A", bound=Aggregate)
T = TypeVar("T")


def stale(what: str) -> DomainError:
    return DomainError(
        code="stale_version",
        detail=f"The {what} was changed by someone else meanwhile; reload it and try again.",
        kind="precondition",
    )


class TrackingRepository(Generic[A]):
    table: ClassVar[Table]
    noun: ClassVar[str] = "resource"

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._seen: dict[UUID, A] = {}
        self._snapshots: dict[UUID, Any] = {}
        self._new: list[A] = []

    # --- mapping, per aggregate -----------------------------------------------------------------
    def to_values(self, aggregate: A) -> dict[str, Any]:
        raise NotImplementedError

    def from_row(self, row: Mapping[str, Any]) -> A:
        raise NotImplementedError

    def snapshot(self, aggregate: A) -> Any:
        """What counts as "changed"; repositories with child rows extend it."""
        return self.to_values(aggregate)

    async def load_children(self, aggregates: Sequence[A]) -> None:
        """Fill child collections for freshly loaded aggregates (one query per collection)."""

    async def write_children(self, aggregate: A, *, new: bool) -> None:
        """Write child collections of a new or changed aggregate."""

    # --- tracking ---------------------------------------------------------------------------------
    def add(self, aggregate: A) -> None:
        self._new.append(aggregate)
        self._seen[aggregate.id] = aggregate

    async def _load(self, stmt: Select[Any]) -> list[A]:
        rows = (await self.session.execute(stmt)).mappings().all()
        fresh: list[A] = []
        result: list[A] = []
        for row in rows:
            known = self._seen.get(row["id"])
            if known is not None:
                result.append(known)
                continue
            aggregate = self.from_row(row)
            fresh.append(aggregate)
            result.append(aggregate)
        if fresh:
            await self.load_children(fresh)
            for aggregate in fresh:
                self._seen[aggregate.id] = aggregate
                self._snapshots[aggregate.id] = self.snapshot(aggregate)
        return result

    async def _load_one(self, stmt: Select[Any]) -> A | None:
        found = await self._load(stmt.limit(1))
        return found[0] if found else None

    def seen(self) -> list[A]:
        return list(self._seen.values())

    def drain_events(self) -> list[DomainEvent]:
        events: list[DomainEvent] = []
        for aggregate in self._seen.values():
            pending = getattr(aggregate, "events", None)
            if pending:
                events.extend(pending)
                pending.clear()
        return events

    async def flush(self) -> None:
        new_ids = {a.id for a in self._new}
        for aggregate in self._new:
            await self.session.execute(insert(self.table).values(**self.to_values(aggregate)))
            await self.write_children(aggregate, new=True)
            self._snapshots[aggregate.id] = self.snapshot(aggregate)
        self._new.clear()
        for ident, aggregate in self._seen.items():
            if ident in new_ids:
                continue
            current = self.snapshot(aggregate)
            if current == self._snapshots.get(ident):
                continue
            values = self.to_values(aggregate)
            values["version"] = aggregate.version + 1
            result = await self.session.execute(
                update(self.table)
                .where(self.table.c.id == ident, self.table.c.version == aggregate.version)
                .values(**values)
            )
            if getattr(result, "rowcount", 1) != 1:
                raise stale(self.noun)
            aggregate.version += 1
            await self.write_children(aggregate, new=False)
            self._snapshots[ident] = self.snapshot(aggregate)


def paginate(stmt: Select[Any], id_column: Any, page: PageRequest) -> Select[Any]:
    """Keyset pagination on the (time-ordered) id: stable under inserts, no OFFSET scans."""
    if page.after is not None:
        stmt = stmt.where(id_column > page.after)
    return stmt.order_by(id_column).limit(page.limit + 1)


def page_of(items: list[T], page: PageRequest, key: Any) -> Page[T]:
    if len(items) > page.limit:
        items = items[: page.limit]
        return Page(items=items, next_after=key(items[-1]))
    return Page(items=items, next_after=None)
