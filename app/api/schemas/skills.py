from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import Field

from app.api.schemas.base import Input, Output
from app.domain.skills import SkillCategory


class SkillCreate(Input):
    name: Annotated[str, Field(min_length=1, max_length=120, examples=["TikTok for business"])]
    category: SkillCategory
    description: Annotated[str | None, Field(default=None, max_length=2000)] = None


class SkillOut(Output):
    id: UUID
    name: str
    category: SkillCategory
    description: str | None
    created_at: datetime
    version: int


class SkillList(Output):
    items: list[SkillOut]
    next_cursor: str | None
