from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Table, select

from app.adapters.persistence.repositories.base import ChildRows, TrackingRepository
from app.adapters.persistence.tables import GoalProgressRow, LearningGoalRow
from app.domain.goals import LearningGoal, ProgressUpdate

goals: Table = LearningGoalRow.__table__  # type: ignore[attr-defined]
progress: Table = GoalProgressRow.__table__  # type: ignore[attr-defined]

_COLUMNS = (
    "id", "relationship_id", "program_id", "owner_id", "partner_id", "title", "success_criteria", "target_date",
    "objective_id", "status", "created_at", "closed_at", "version",
)  # fmt: skip


def _progress_rows(goal: LearningGoal) -> list[dict[str, Any]]:
    return [{**vars(update), "goal_id": goal.id, "position": i} for i, update in enumerate(goal.progress)]


class SqlGoalRepository(TrackingRepository[LearningGoal]):
    """Learning goals with their progress updates (one extra query)."""

    table = goals
    noun = "goal"
    children = (ChildRows(progress, ("goal_id", "position"), _progress_rows),)

    def to_values(self, aggregate: LearningGoal) -> dict[str, Any]:
        return {name: getattr(aggregate, name) for name in _COLUMNS}

    def from_row(self, row: Mapping[str, Any]) -> LearningGoal:
        return LearningGoal(**{name: row[name] for name in _COLUMNS})

    async def load_children(self, aggregates: Sequence[LearningGoal]) -> None:
        by_id = {g.id: g for g in aggregates}
        grouped: dict[UUID, list[ProgressUpdate]] = defaultdict(list)
        rows = await self.session.execute(
            select(progress).where(progress.c.goal_id.in_(list(by_id))).order_by(progress.c.position)
        )
        for row in rows.mappings():
            grouped[row["goal_id"]].append(ProgressUpdate(row["at"], row["author_id"], row["note"], row["percent"]))
        for goal_id, items in grouped.items():
            by_id[goal_id].progress = items

    async def get(self, goal_id: UUID) -> LearningGoal | None:
        return await self._load_one(select(goals).where(goals.c.id == goal_id))
