from __future__ import annotations

import builtins
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Table, insert, or_, select, update

from app.adapters.persistence.repositories.base import ChildRows, TrackingRepository, stale
from app.adapters.persistence.tables import MeetingResourceRow, MeetingRow, ReflectionRow
from app.domain.meetings import Meeting, Reflection, Resource

meetings: Table = MeetingRow.__table__  # type: ignore[attr-defined]
resources: Table = MeetingResourceRow.__table__  # type: ignore[attr-defined]
reflections: Table = ReflectionRow.__table__  # type: ignore[attr-defined]

_SCALARS = (
    "id", "relationship_id", "program_id", "starts_at", "duration_minutes", "mode", "planned_leader_id", "agenda",
    "status", "led_by", "shared_notes", "scheduled_at", "closed_at", "version",
)  # fmt: skip


def _resource_rows(meeting: Meeting) -> builtins.list[dict[str, Any]]:
    return [
        {
            "meeting_id": meeting.id,
            "position": i,
            "title": r.title,
            "url": r.url,
            "kind": r.kind,
            "suggested_by": r.suggested_by,
        }
        for i, r in enumerate(meeting.resources)
    ]


class SqlMeetingRepository(TrackingRepository[Meeting]):
    """Meetings with their suggested resources (one extra query).

    Private reflections are never loaded with a meeting and never part of its snapshot: a
    reflection is read and written only by ``(meeting_id, author_id)``, and writing one does not
    change the meeting's version (an ETag that moved would tell the partner someone reflected).
    """

    table = meetings
    noun = "meeting"
    children = (ChildRows(resources, ("meeting_id", "position"), _resource_rows),)

    def to_values(self, aggregate: Meeting) -> dict[str, Any]:
        values = {name: getattr(aggregate, name) for name in _SCALARS}
        values["member_a_id"], values["member_b_id"] = aggregate.member_ids
        return values

    def from_row(self, row: Mapping[str, Any]) -> Meeting:
        return Meeting(
            **{name: row[name] for name in _SCALARS},
            member_ids=(row["member_a_id"], row["member_b_id"]),
        )

    async def load_children(self, aggregates: Sequence[Meeting]) -> None:
        by_id = {m.id: m for m in aggregates}
        grouped: dict[UUID, builtins.list[Resource]] = defaultdict(list)
        rows = await self.session.execute(
            select(resources).where(resources.c.meeting_id.in_(list(by_id))).order_by(resources.c.position)
        )
        for row in rows.mappings():
            grouped[row["meeting_id"]].append(Resource(row["title"], row["url"], row["kind"], row["suggested_by"]))
        for meeting_id, items in grouped.items():
            by_id[meeting_id].resources = items

    async def get(self, meeting_id: UUID) -> Meeting | None:
        return await self._load_one(select(meetings).where(meetings.c.id == meeting_id))

    async def of_relationship(self, relationship_id: UUID) -> builtins.list[Meeting]:
        stmt = select(meetings).where(meetings.c.relationship_id == relationship_id)
        return await self._load(stmt.order_by(meetings.c.starts_at, meetings.c.id))

    async def held_times(self, relationship_ids: Sequence[UUID]) -> dict[UUID, builtins.list[datetime]]:
        found: dict[UUID, builtins.list[datetime]] = {ident: [] for ident in relationship_ids}
        if not relationship_ids:
            return found
        rows = await self.session.execute(
            select(meetings.c.relationship_id, meetings.c.starts_at).where(
                meetings.c.relationship_id.in_(list(relationship_ids)), meetings.c.status == "held"
            )
        )
        for relationship_id, starts_at in rows:
            found[relationship_id].append(starts_at)
        return found

    async def of_person(self, person_id: UUID) -> builtins.list[Meeting]:
        stmt = select(meetings).where(or_(meetings.c.member_a_id == person_id, meetings.c.member_b_id == person_id))
        return await self._load(stmt.order_by(meetings.c.starts_at, meetings.c.id))

    # --- private reflections: by (meeting, author) only -------------------------------------------
    async def reflection(self, meeting_id: UUID, author_id: UUID) -> Reflection | None:
        row = (
            (
                await self.session.execute(
                    select(reflections).where(
                        reflections.c.meeting_id == meeting_id, reflections.c.author_id == author_id
                    )
                )
            )
            .mappings()
            .first()
        )
        if row is None:
            return None
        return Reflection(row["author_id"], row["text"], row["written_at"], row["version"])

    async def save_reflection(self, meeting_id: UUID, reflection: Reflection) -> None:
        values = {"text": reflection.text, "written_at": reflection.written_at, "version": reflection.version}
        if reflection.version == 1:
            await self.session.execute(
                insert(reflections).values(meeting_id=meeting_id, author_id=reflection.author_id, **values)
            )
            return
        # a rewrite replaces the version it was made from: two rewrites of one reflection at once
        # (two open tabs) cannot silently lose one
        result = await self.session.execute(
            update(reflections)
            .where(
                reflections.c.meeting_id == meeting_id,
                reflections.c.author_id == reflection.author_id,
                reflections.c.version == reflection.version - 1,
            )
            .values(**values)
        )
        if getattr(result, "rowcount", 1) != 1:
            raise stale("reflection")
