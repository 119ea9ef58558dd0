from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Table, func, select

from app.adapters.persistence.repositories.base import TrackingRepository, chunks
from app.adapters.persistence.tables import CheckinRow
from app.domain.checkins import CheckIn

checkins: Table = CheckinRow.__table__  # type: ignore[attr-defined]

COLUMNS = (
    "id", "relationship_id", "program_id", "person_id", "status", "due_at", "rating", "going_well", "not_going_well",
    "submitted_at", "version",
)  # fmt: skip


def checkin_of(row: Mapping[str, Any]) -> CheckIn:
    return CheckIn(**{name: row[name] for name in COLUMNS})


class SqlCheckinRepository(TrackingRepository[CheckIn]):
    table = checkins
    noun = "check-in"

    def to_values(self, aggregate: CheckIn) -> dict[str, Any]:
        return {name: getattr(aggregate, name) for name in COLUMNS}

    def from_row(self, row: Mapping[str, Any]) -> CheckIn:
        return checkin_of(row)

    async def get(self, checkin_id: UUID) -> CheckIn | None:
        return await self._load_one(select(checkins).where(checkins.c.id == checkin_id))

    async def open_for(self, relationship_id: UUID, person_id: UUID) -> CheckIn | None:
        return await self._load_one(
            select(checkins)
            .where(
                checkins.c.relationship_id == relationship_id,
                checkins.c.person_id == person_id,
                checkins.c.status == "due",
            )
            .order_by(checkins.c.id)
        )

    async def last_due(self, relationship_ids: Sequence[UUID]) -> dict[tuple[UUID, UUID], datetime]:
        found: dict[tuple[UUID, UUID], datetime] = {}
        for chunk in chunks(list(relationship_ids)):
            rows = await self.session.execute(
                select(checkins.c.relationship_id, checkins.c.person_id, func.max(checkins.c.due_at).label("due_at"))
                .where(checkins.c.relationship_id.in_(list(chunk)), checkins.c.due_at.is_not(None))
                .group_by(checkins.c.relationship_id, checkins.c.person_id)
            )
            found.update({(row.relationship_id, row.person_id): row.due_at for row in rows})
        return found

    async def overdue(self, due_before: datetime) -> list[CheckIn]:
        return await self._load(
            select(checkins)
            .where(checkins.c.status == "due", checkins.c.due_at.is_not(None), checkins.c.due_at < due_before)
            .order_by(checkins.c.id)
        )
