"""The problem codes of the operations in ``routes/skills.py``: the skill catalogue."""

from __future__ import annotations

from typing import Final

CODES: Final[dict[str, tuple[str, ...]]] = {
    "createSkill": ("skill_exists", "skill_name_required", "skills_admin_only"),
    "getSkill": ("skill_not_found",),
    "listSkills": (),
}
