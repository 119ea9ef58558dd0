"""A small data mapper: rows in, domain aggregates out, changes written back with a version check.

Each repository tracks the aggregates it loaded or added during one unit of work together with a
snapshot of their rows: the aggregate's own row and the rows of each child table. At commit the unit
of work asks every repository to ``flush``:

- new aggregates are inserted, all of them in one statement (one ``executemany`` per table);
- changed ones are updated with ``WHERE version = <loaded version>`` and their version bumped — a
  concurrent writer in between makes the update miss and the use case fails with ``stale_version``
  instead of silently overwriting (optimistic concurrency, the ETag's twin);
- child rows are written as a diff against the snapshot: only the rows added, changed or removed
  are inserted, updated or deleted, each kind in one statement for every aggregate of the flush.

So a flush costs a number of statements that depends on the tables touched, not on the number of
aggregates: publishing thirty pairs writes as many statements as publishing three.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, Protocol, TypeVar
from uuid import UUID

from sqlalchemy import Select, Table, and_, bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.errors import DomainError
from app.domain.events import DomainEvent
from app.domain.ports import Page, PageRequest


class Aggregate(Protocol):
    id: UUID
    version: int


A = TypeVar("A", bound=Aggregate)
T = TypeVar("T")
Row = dict[str, Any]
RowKey = tuple[Any, ...]

# Ids per statement when a batch is read back by id (well under SQLite's and asyncpg's parameter limits).
ID_CHUNK = 1000


def stale(what: str) -> DomainError:
    return DomainError(
        code="stale_version",
        detail=f"The {what} was changed by someone else meanwhile; reload it and try again.",
        kind="precondition",
    )


def chunks(items: Sequence[T], size: int = ID_CHUNK) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class ChildRows(Generic[A]):
    """A collection of an aggregate kept in a table of its own, written as a diff of what was loaded.

    ``key`` names the columns that identify a row (the parent's id column among them); ``rows``
    gives the rows the aggregate holds now, key columns included.
    """

    table: Table
    key: tuple[str, ...]
    rows: Callable[[A], Iterable[Row]]

    def keyed(self, aggregate: A) -> dict[RowKey, Row]:
        return {tuple(row[name] for name in self.key): row for row in self.rows(aggregate)}


@dataclass(frozen=True)
class Snapshot:
    """What an aggregate looked like when it was loaded or last written."""

    values: Row
    children: tuple[dict[RowKey, Row], ...]


@dataclass
class _ChildWrites:
    inserts: list[Row] = field(default_factory=list)
    updates: list[Row] = field(default_factory=list)
    deletes: list[RowKey] = field(default_factory=list)

    def diff(self, before: Mapping[RowKey, Row], after: Mapping[RowKey, Row]) -> None:
        for key, row in after.items():
            earlier = before.get(key)
            if earlier is None:
                self.inserts.append(row)
            elif earlier != row:
                self.updates.append(row)
        self.deletes.extend(key for key in before if key not in after)


class TrackingRepository(Generic[A]):
    table: ClassVar[Table]
    noun: ClassVar[str] = "resource"
    children: ClassVar[tuple[ChildRows[Any], ...]] = ()

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._seen: dict[UUID, A] = {}
        self._snapshots: dict[UUID, Snapshot] = {}
        self._new: list[A] = []

    # --- mapping, per aggregate -----------------------------------------------------------------
    def to_values(self, aggregate: A) -> Row:
        raise NotImplementedError

    def from_row(self, row: Mapping[str, Any]) -> A:
        raise NotImplementedError

    def snapshot(self, aggregate: A) -> Snapshot:
        return Snapshot(self.to_values(aggregate), tuple(spec.keyed(aggregate) for spec in self.children))

    async def load_children(self, aggregates: Sequence[A]) -> None:
        """Fill child collections for freshly loaded aggregates (one query per collection)."""

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

    async def _load_ids(self, ids: Sequence[UUID]) -> dict[UUID, A]:
        """The aggregates with these ids (those not found are left out), a chunk of ids a query."""
        wanted = list(dict.fromkeys(ids))
        found = {ident: self._seen[ident] for ident in wanted if ident in self._seen}
        missing = [ident for ident in wanted if ident not in found]
        for chunk in chunks(missing):
            for aggregate in await self._load(select(self.table).where(self.table.c.id.in_(list(chunk)))):
                found[aggregate.id] = aggregate
        return found

    def drain_events(self) -> list[DomainEvent]:
        events: list[DomainEvent] = []
        for aggregate in self._seen.values():
            pending = getattr(aggregate, "events", None)
            if pending:
                events.extend(pending)
                pending.clear()
        return events

    # --- writing ----------------------------------------------------------------------------------
    async def flush(self) -> None:
        new, self._new = self._new, []
        new_ids = {aggregate.id for aggregate in new}
        changed: list[tuple[A, Snapshot, Snapshot]] = []
        for ident, aggregate in self._seen.items():
            if ident in new_ids:
                continue
            before = self._snapshots[ident]
            now = self.snapshot(aggregate)
            if now != before:
                changed.append((aggregate, before, now))
        if new:
            await self.session.execute(insert(self.table), [self.to_values(a) for a in new])
        await self._update(changed)
        writes = [_ChildWrites() for _ in self.children]
        for aggregate in new:
            self._snapshots[aggregate.id] = current = self.snapshot(aggregate)
            for write, rows in zip(writes, current.children, strict=True):
                write.diff({}, rows)
        for aggregate, before, _ in changed:
            # the version went up with the update: snapshot again so the next flush compares to it
            self._snapshots[aggregate.id] = current = self.snapshot(aggregate)
            for write, old, rows in zip(writes, before.children, current.children, strict=True):
                write.diff(old, rows)
        for spec, write in zip(self.children, writes, strict=True):
            await self._write_children(spec, write)

    async def _update(self, changed: Sequence[tuple[A, Snapshot, Snapshot]]) -> None:
        if not changed:
            return
        table = self.table
        columns = [name for name in changed[0][2].values if name != "id"]
        params = [
            {
                "b_id": aggregate.id,
                "b_expected": aggregate.version,
                **{f"v_{name}": now.values[name] for name in columns if name != "version"},
                "v_version": aggregate.version + 1,
            }
            for aggregate, _, now in changed
        ]
        statement = (
            update(table)
            .where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_expected"))
            .values({name: bindparam(f"v_{name}", type_=table.c[name].type) for name in columns})
        )
        if len(params) == 1:
            result = await self.session.execute(statement, params[0])
            written = getattr(result, "rowcount", 1)
        else:
            dialect = self.session.get_bind().dialect
            if not dialect.supports_sane_multi_rowcount:
                # The driver cannot count the rows a batch updated (asyncpg): lock the rows and
                # compare their versions first, so the batch below cannot miss one unnoticed.
                await self._lock_versions([aggregate for aggregate, _, _ in changed])
            result = await self.session.execute(statement, params)
            written = result.rowcount if dialect.supports_sane_multi_rowcount else len(params)  # type: ignore[attr-defined]
        if written != len(params):
            raise stale(self.noun)
        for aggregate, _, _ in changed:
            aggregate.version += 1

    async def _lock_versions(self, aggregates: Sequence[A]) -> None:
        expected = {aggregate.id: aggregate.version for aggregate in aggregates}
        found: dict[UUID, int] = {}
        ids = sorted(expected, key=lambda ident: ident.bytes)  # one lock order for every writer
        for chunk in chunks(ids):
            rows = await self.session.execute(
                select(self.table.c.id, self.table.c.version)
                .where(self.table.c.id.in_(list(chunk)))
                .order_by(self.table.c.id)
                .with_for_update()
            )
            found.update({row.id: row.version for row in rows})
        if found != expected:
            raise stale(self.noun)

    async def _write_children(self, spec: ChildRows[Any], write: _ChildWrites) -> None:
        table = spec.table
        matches = and_(*(table.c[name] == bindparam(f"k_{name}") for name in spec.key))
        if write.deletes:
            await self.session.execute(
                delete(table).where(matches),
                [{f"k_{name}": value for name, value in zip(spec.key, key, strict=True)} for key in write.deletes],
            )
        if write.updates:
            columns = [name for name in write.updates[0] if name not in spec.key]
            statement = (
                update(table)
                .where(matches)
                .values({name: bindparam(f"v_{name}", type_=table.c[name].type) for name in columns})
            )
            await self.session.execute(
                statement,
                [
                    {**{f"k_{name}": row[name] for name in spec.key}, **{f"v_{name}": row[name] for name in columns}}
                    for row in write.updates
                ],
            )
        if write.inserts:
            await self.session.execute(insert(table), write.inserts)


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
