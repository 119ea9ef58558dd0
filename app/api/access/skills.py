"""The access rules of the operations in ``routes/skills.py``: the skill catalogue."""

from __future__ import annotations

from typing import Final

ACCESS: Final[dict[str, str]] = {
    "listSkills": "any_person",
    "getSkill": "any_person",
    "createSkill": "hr",
}
