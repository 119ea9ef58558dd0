"""Relationships as screens and permission checks see them."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Select, or_, select

from app.adapters.persistence.queries.base import Reads, chunks
from app.adapters.persistence.queries.visibility import caller_has_role, relationship_visible
from app.adapters.persistence.repositories.meetings import meetings
from app.adapters.persistence.repositories.relationships import SqlRelationshipRepository, relationships
from app.domain.actors import Actor
from app.domain.ports import Page, PageRequest, RelationshipFilter
from app.domain.read_side import ProgramAccess, RelationshipAccess
from app.domain.relationships import Relationship
from app.domain.role_turns import MeetingEntry

r = relationships


class RelationshipReads(Reads):
    def _visible(self, actor: Actor) -> ColumnElement[bool]:
        return relationship_visible(actor, r.c.member_a_id, r.c.member_b_id, r.c.program_id)

    async def relationship_access(self, actor: Actor, relationship_id: UUID) -> RelationshipAccess | None:
        stmt = select(
            r.c.id,
            r.c.program_id,
            r.c.member_a_id,
            r.c.member_b_id,
            r.c.status,
            caller_has_role(actor, r.c.program_id, "coordinator").label("coordinates"),
            caller_has_role(actor, r.c.program_id, "committee").label("on_committee"),
        ).where(r.c.id == relationship_id, self._visible(actor))
        row = (await self.session.execute(stmt)).first()
        if row is None:
            return None
        return RelationshipAccess(
            relationship_id=row.id,
            member_ids=(row.member_a_id, row.member_b_id),
            status=row.status,
            program=ProgramAccess(
                program_id=row.program_id,
                caller_id=actor.person_id,
                caller_coordinates=bool(row.coordinates),
                caller_on_committee=bool(row.on_committee),
            ),
        )

    async def _build(self, stmt: Select[Any]) -> list[Relationship]:
        mapper = SqlRelationshipRepository(self.session)
        found = [mapper.from_row(row) for row in await self.rows(stmt)]
        if found:
            await mapper.load_children(found)
        return found

    async def relationship(self, actor: Actor, relationship_id: UUID) -> Relationship | None:
        found = await self._build(select(r).where(r.c.id == relationship_id, self._visible(actor)))
        return found[0] if found else None

    async def relationships_by_ids(self, actor: Actor, ids: Sequence[UUID]) -> dict[UUID, Relationship]:
        found: dict[UUID, Relationship] = {}
        for chunk in chunks(ids):
            for relationship in await self._build(select(r).where(r.c.id.in_(chunk), self._visible(actor))):
                found[relationship.id] = relationship
        return found

    async def relationships(self, actor: Actor, flt: RelationshipFilter, page: PageRequest) -> Page[Relationship]:
        stmt = select(r).where(self._visible(actor))
        if flt.program_id is not None:
            stmt = stmt.where(r.c.program_id == flt.program_id)
        if flt.statuses:
            stmt = stmt.where(r.c.status.in_(sorted(flt.statuses)))
        if flt.person_id is not None:
            stmt = stmt.where(or_(r.c.member_a_id == flt.person_id, r.c.member_b_id == flt.person_id))
        mapper = SqlRelationshipRepository(self.session)
        items, result = await self.page(stmt, r.c.id, page, mapper.from_row)
        if items:
            await mapper.load_children(items)
        return result

    async def held_times(self, relationship_ids: Sequence[UUID]) -> dict[UUID, builtins.list[datetime]]:
        found: dict[UUID, list[datetime]] = {rid: [] for rid in relationship_ids}
        for chunk in chunks(relationship_ids):
            rows = await self.session.execute(
                select(meetings.c.relationship_id, meetings.c.starts_at)
                .where(meetings.c.relationship_id.in_(chunk), meetings.c.status == "held")
                .order_by(meetings.c.starts_at)
            )
            for relationship_id, starts_at in rows:
                found[relationship_id].append(starts_at)
        return found

    async def meeting_entries(self, relationship_id: UUID) -> builtins.list[MeetingEntry]:
        return (await self.meeting_entries_of([relationship_id]))[relationship_id]

    async def meeting_entries_of(self, relationship_ids: Sequence[UUID]) -> dict[UUID, builtins.list[MeetingEntry]]:
        found: dict[UUID, list[MeetingEntry]] = {rid: [] for rid in relationship_ids}
        for chunk in chunks(relationship_ids):
            rows = await self.session.execute(
                select(
                    meetings.c.relationship_id,
                    meetings.c.id,
                    meetings.c.starts_at,
                    meetings.c.status,
                    meetings.c.led_by,
                )
                .where(meetings.c.relationship_id.in_(chunk))
                .order_by(meetings.c.starts_at, meetings.c.id)
            )
            for row in rows:
                found[row.relationship_id].append(MeetingEntry(row.id, row.starts_at, row.status, row.led_by))
        return found
