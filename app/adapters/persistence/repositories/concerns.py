from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from sqlalchemy import Table, select

from app.adapters.persistence.repositories.base import TrackingRepository
from app.adapters.persistence.tables import ConcernRow
from app.domain.concerns import Concern

concerns: Table = ConcernRow.__table__  # type: ignore[attr-defined]

COLUMNS = (
    "id", "program_id", "relationship_id", "raised_by", "kind", "text", "rematch_requested", "raised_at", "status",
    "outcome", "coordinator_note", "resolved_at", "resolved_by", "version",
)  # fmt: skip


def concern_of(row: Mapping[str, Any]) -> Concern:
    return Concern(**{name: row[name] for name in COLUMNS})


class SqlConcernRepository(TrackingRepository[Concern]):
    table = concerns
    noun = "concern"

    def to_values(self, aggregate: Concern) -> dict[str, Any]:
        return {name: getattr(aggregate, name) for name in COLUMNS}

    def from_row(self, row: Mapping[str, Any]) -> Concern:
        return concern_of(row)

    async def get(self, concern_id: UUID) -> Concern | None:
        return await self._load_one(select(concerns).where(concerns.c.id == concern_id))
