from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Table, func, select

from app.adapters.persistence.repositories.base import TrackingRepository
from app.adapters.persistence.tables import SkillRow
from app.domain.skills import Skill, SkillCategory

skills: Table = SkillRow.__table__  # type: ignore[attr-defined]


class SqlSkillRepository(TrackingRepository[Skill]):
    table = skills
    noun = "skill"

    def to_values(self, aggregate: Skill) -> dict[str, Any]:
        return {
            "id": aggregate.id,
            "name": aggregate.name,
            "category": aggregate.category.value,
            "description": aggregate.description,
            "created_at": aggregate.created_at,
            "version": aggregate.version,
        }

    def from_row(self, row: Mapping[str, Any]) -> Skill:
        return Skill(
            id=row["id"],
            name=row["name"],
            category=SkillCategory(row["category"]),
            description=row["description"],
            created_at=row["created_at"],
            version=row["version"],
        )

    async def by_name(self, name: str) -> Skill | None:
        return await self._load_one(select(skills).where(func.lower(skills.c.name) == name.lower()))

    async def existing_ids(self, ids: Sequence[UUID]) -> set[UUID]:
        if not ids:
            return set()
        rows = await self.session.execute(select(skills.c.id).where(skills.c.id.in_(list(set(ids)))))
        return {row.id for row in rows}
