from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import Field

from app.api.schemas.base import Input, Output
from app.api.schemas.enums import RecognitionSource, StoryStatus
from app.domain.stories import Recognition, Story


class StoryCreate(Input):
    program_id: UUID
    title: Annotated[str, Field(min_length=1, max_length=300, examples=["What my mentee taught me about chat"])]
    text: Annotated[str, Field(min_length=1, max_length=20000)]
    relationship_id: UUID | None = Field(default=None, description="One of your relationships in the program.")
    names_partner: bool = Field(default=False, description="The story names your partner, who must consent.")


class StoryConsent(Input):
    consent: bool


class StoryOut(Output):
    id: UUID
    program_id: UUID
    author_id: UUID
    relationship_id: UUID | None
    partner_id: UUID | None = Field(description="The partner the story names (who consented), if any.")
    title: str
    text: str
    status: StoryStatus
    created_at: datetime
    published_at: datetime | None
    version: int

    @classmethod
    def of(cls, story: Story) -> StoryOut:
        return cls(**{name: getattr(story, name) for name in cls.model_fields})


class StoryList(Output):
    items: list[StoryOut]
    next_cursor: str | None


class RecognitionCreate(Input):
    person_id: UUID
    incentive: Annotated[str, Field(min_length=1, max_length=300, examples=["extra day off"])]
    note: Annotated[str, Field(max_length=2000)] = ""


class RecognitionOut(Output):
    id: UUID
    program_id: UUID
    person_id: UUID
    relationship_id: UUID
    incentive: str
    source: RecognitionSource
    granted_at: datetime
    granted_by: UUID | None
    note: str
    version: int

    @classmethod
    def of(cls, recognition: Recognition) -> RecognitionOut:
        return cls(**{name: getattr(recognition, name) for name in cls.model_fields})


class RecognitionList(Output):
    items: list[RecognitionOut]
    next_cursor: str | None
