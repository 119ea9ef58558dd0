from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Table, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.adapters.persistence.repositories.base import TrackingRepository
from app.adapters.persistence.tables import IdentityRow, PersonRow
from app.domain.identities import LinkedIdentity
from app.domain.people import Person

people: Table = PersonRow.__table__  # type: ignore[attr-defined]
identities: Table = IdentityRow.__table__  # type: ignore[attr-defined]

_COLUMNS = (
    "id", "external_id", "email", "given_name", "family_name", "department", "location", "job_title",
    "seniority", "manager_id", "hire_date", "generation", "attributes", "matching_consent", "active",
    "deactivated_at", "created_at", "updated_at", "version",
)  # fmt: skip


class SqlPeopleRepository(TrackingRepository[Person]):
    table = people
    noun = "person"

    async def flush(self) -> None:
        # The HRIS sync may add a manager after the people reporting to them; the self-referencing
        # foreign key is checked per statement, so new managers are inserted before their reports.
        new = {p.id: p for p in self._new}

        def depth(person: Person) -> int:
            levels, current = 0, person.manager_id
            while current in new and levels <= len(new):
                levels, current = levels + 1, new[current].manager_id
            return levels

        self._new.sort(key=depth)
        await super().flush()

    def to_values(self, aggregate: Person) -> dict[str, Any]:
        values = {name: getattr(aggregate, name) for name in _COLUMNS}
        values["attributes"] = dict(aggregate.attributes)
        return values

    def from_row(self, row: Mapping[str, Any]) -> Person:
        return Person(**{name: row[name] for name in _COLUMNS})

    async def get(self, person_id: UUID) -> Person | None:
        return await self._load_one(select(people).where(people.c.id == person_id))

    async def get_many(self, ids: Sequence[UUID]) -> list[Person]:
        return list((await self._load_ids(ids)).values())

    async def by_email(self, email: str) -> Person | None:
        return await self._load_one(select(people).where(people.c.email == email.strip().lower()))

    async def by_emails(self, emails: Sequence[str]) -> dict[str, Person]:
        found: dict[str, Person] = {}
        wanted = list(dict.fromkeys(e.strip().lower() for e in emails))
        for start in range(0, len(wanted), 500):
            for person in await self._load(select(people).where(people.c.email.in_(wanted[start : start + 500]))):
                found[person.email] = person
        return found

    async def by_external_ids(self, external_ids: Sequence[str]) -> dict[str, Person]:
        found: dict[str, Person] = {}
        ids = list(dict.fromkeys(external_ids))
        for start in range(0, len(ids), 500):  # keep the IN list well under SQLite's variable limit
            chunk = ids[start : start + 500]
            for person in await self._load(select(people).where(people.c.external_id.in_(chunk))):
                assert person.external_id is not None
                found[person.external_id] = person
        return found

    async def managers_above(self, ids: Sequence[UUID], depth: int = 1000) -> dict[UUID, UUID | None]:
        """person → manager for ``ids`` and their managers, ``depth`` levels up: one query a level."""
        found: dict[UUID, UUID | None] = {}
        frontier = set(ids)
        for _ in range(depth + 1):
            frontier -= found.keys()
            if not frontier:
                break
            rows = await self.session.execute(
                select(people.c.id, people.c.manager_id).where(people.c.id.in_(list(frontier)))
            )
            found.update({row.id: row.manager_id for row in rows})
            frontier = {m for m in (found.get(i) for i in frontier) if m is not None}
        return found

    async def manager_map(self) -> dict[UUID, UUID | None]:
        rows = await self.session.execute(select(people.c.id, people.c.manager_id))
        return {row.id: row.manager_id for row in rows}

    async def link_identity(self, *, issuer: str, subject: str, person_id: UUID, now: datetime) -> bool:
        values = {"issuer": issuer, "subject": subject, "person_id": person_id, "created_at": now}
        dialect = self.session.get_bind().dialect.name
        upsert = (pg_insert if dialect == "postgresql" else sqlite_insert)(identities).values(**values)
        result: Any = await self.session.execute(upsert.on_conflict_do_nothing(index_elements=["issuer", "subject"]))
        return bool(result.rowcount)

    async def identities_of(self, person_id: UUID) -> list[LinkedIdentity]:
        stmt = select(identities).where(identities.c.person_id == person_id).order_by(identities.c.created_at)
        return [LinkedIdentity(**row) for row in (await self.session.execute(stmt)).mappings()]

    async def unlink_identity(self, *, issuer: str, subject: str, person_id: UUID) -> bool:
        result: Any = await self.session.execute(
            delete(identities).where(
                identities.c.issuer == issuer, identities.c.subject == subject, identities.c.person_id == person_id
            )
        )
        return bool(result.rowcount)

    async def by_identity(self, *, issuer: str, subject: str) -> Person | None:
        stmt = (
            select(people)
            .join(identities, identities.c.person_id == people.c.id)
            .where(identities.c.issuer == issuer, identities.c.subject == subject)
        )
        return await self._load_one(stmt)
