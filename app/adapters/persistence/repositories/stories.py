from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from sqlalchemy import Table, delete, select

from app.adapters.persistence.repositories.base import TrackingRepository
from app.adapters.persistence.tables import RecognitionRow, StoryRow
from app.domain.stories import Recognition, Story

stories: Table = StoryRow.__table__  # type: ignore[attr-defined]
recognitions: Table = RecognitionRow.__table__  # type: ignore[attr-defined]

STORY_COLUMNS = (
    "id", "program_id", "author_id", "title", "text", "created_at", "status", "relationship_id", "partner_id",
    "published_at", "version",
)  # fmt: skip
RECOGNITION_COLUMNS = (
    "id", "program_id", "person_id", "relationship_id", "incentive", "source", "granted_at", "granted_by", "note",
    "version",
)  # fmt: skip


def story_of(row: Mapping[str, Any]) -> Story:
    return Story(**{name: row[name] for name in STORY_COLUMNS})


def recognition_of(row: Mapping[str, Any]) -> Recognition:
    return Recognition(**{name: row[name] for name in RECOGNITION_COLUMNS})


class SqlStoryRepository(TrackingRepository[Story]):
    table = stories
    noun = "story"

    def to_values(self, aggregate: Story) -> dict[str, Any]:
        return {name: getattr(aggregate, name) for name in STORY_COLUMNS}

    def from_row(self, row: Mapping[str, Any]) -> Story:
        return story_of(row)

    async def get(self, story_id: UUID) -> Story | None:
        return await self._load_one(select(stories).where(stories.c.id == story_id))

    async def remove(self, story: Story) -> None:
        await self.session.execute(delete(stories).where(stories.c.id == story.id))
        self._seen.pop(story.id, None)
        self._snapshots.pop(story.id, None)


class SqlRecognitionRepository(TrackingRepository[Recognition]):
    table = recognitions
    noun = "recognition"

    def to_values(self, aggregate: Recognition) -> dict[str, Any]:
        return {name: getattr(aggregate, name) for name in RECOGNITION_COLUMNS}

    def from_row(self, row: Mapping[str, Any]) -> Recognition:
        return recognition_of(row)

    async def get(self, recognition_id: UUID) -> Recognition | None:
        return await self._load_one(select(recognitions).where(recognitions.c.id == recognition_id))
