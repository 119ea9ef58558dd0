"""The skill catalogue people offer and want, grouped in categories."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID


class SkillCategory(StrEnum):
    TECHNOLOGY = "technology"
    SOCIAL_MEDIA = "social_media"
    INTERGENERATIONAL = "intergenerational"
    DIVERSITY_INCLUSION = "diversity_inclusion"
    LEADERSHIP = "leadership"
    BUSINESS = "business"
    CUSTOM = "custom"


@dataclass
class Skill:
    id: UUID
    name: str
    category: SkillCategory
    description: str | None
    created_at: datetime
    version: int = 1

    @staticmethod
    def normalise_name(name: str) -> str:
        """Skill names are unique case-insensitively and without surrounding space."""
        return " ".join(name.split())
