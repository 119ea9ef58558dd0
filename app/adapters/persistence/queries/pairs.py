"""A pair's meetings and learning goals as screens see them (never a private reflection)."""

from __future__ import annotations

import builtins
from collections import defaultdict
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Select, select

from app.adapters.persistence.queries.base import Reads, chunks
from app.adapters.persistence.queries.visibility import relationship_visible
from app.adapters.persistence.repositories.goals import SqlGoalRepository, goals
from app.adapters.persistence.repositories.meetings import SqlMeetingRepository, meetings
from app.domain.actors import Actor
from app.domain.goals import LearningGoal
from app.domain.meetings import Meeting, MeetingStatus
from app.domain.ports import Page, PageRequest

m, g = meetings, goals


class PairReads(Reads):
    # Meetings and goals carry their pair's members and program, so visibility needs no join.
    @staticmethod
    def _meeting_visible(actor: Actor) -> ColumnElement[bool]:
        return relationship_visible(actor, m.c.member_a_id, m.c.member_b_id, m.c.program_id)

    @staticmethod
    def _goal_visible(actor: Actor) -> ColumnElement[bool]:
        return relationship_visible(actor, g.c.owner_id, g.c.partner_id, g.c.program_id)

    async def _meetings(self, stmt: Select[Any]) -> list[Meeting]:
        mapper = SqlMeetingRepository(self.session)
        found = [mapper.from_row(row) for row in await self.rows(stmt)]
        if found:
            await mapper.load_children(found)
        return found

    async def _goals(self, stmt: Select[Any]) -> list[LearningGoal]:
        mapper = SqlGoalRepository(self.session)
        found = [mapper.from_row(row) for row in await self.rows(stmt)]
        if found:
            await mapper.load_children(found)
        return found

    async def meeting(self, actor: Actor, meeting_id: UUID) -> Meeting | None:
        found = await self._meetings(select(m).where(m.c.id == meeting_id, self._meeting_visible(actor)))
        return found[0] if found else None

    async def meetings(
        self, relationship_id: UUID, statuses: frozenset[MeetingStatus], page: PageRequest
    ) -> Page[Meeting]:
        stmt = select(m).where(m.c.relationship_id == relationship_id)
        if statuses:
            stmt = stmt.where(m.c.status.in_(sorted(statuses)))
        mapper = SqlMeetingRepository(self.session)
        items, result = await self.page(stmt, m.c.id, page, mapper.from_row)
        if items:
            await mapper.load_children(items)
        return result

    async def meetings_of(self, actor: Actor, relationship_ids: Sequence[UUID]) -> dict[UUID, builtins.list[Meeting]]:
        found: dict[UUID, list[Meeting]] = defaultdict(list)
        for chunk in chunks(relationship_ids):
            stmt = (
                select(m)
                .where(m.c.relationship_id.in_(chunk), self._meeting_visible(actor))
                .order_by(m.c.starts_at, m.c.id)
            )
            for meeting in await self._meetings(stmt):
                found[meeting.relationship_id].append(meeting)
        return {rid: found.get(rid, []) for rid in relationship_ids}

    async def goal(self, actor: Actor, goal_id: UUID) -> LearningGoal | None:
        found = await self._goals(select(g).where(g.c.id == goal_id, self._goal_visible(actor)))
        return found[0] if found else None

    async def goals(self, relationship_id: UUID, page: PageRequest) -> Page[LearningGoal]:
        mapper = SqlGoalRepository(self.session)
        items, result = await self.page(
            select(g).where(g.c.relationship_id == relationship_id), g.c.id, page, mapper.from_row
        )
        if items:
            await mapper.load_children(items)
        return result

    async def goals_of(self, actor: Actor, relationship_ids: Sequence[UUID]) -> dict[UUID, builtins.list[LearningGoal]]:
        found: dict[UUID, list[LearningGoal]] = defaultdict(list)
        for chunk in chunks(relationship_ids):
            stmt = select(g).where(g.c.relationship_id.in_(chunk), self._goal_visible(actor)).order_by(g.c.id)
            for goal in await self._goals(stmt):
                found[goal.relationship_id].append(goal)
        return {rid: found.get(rid, []) for rid in relationship_ids}
