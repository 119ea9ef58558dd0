"""The access rules of the operations in ``routes/goals.py``: a relationship's goals."""

from __future__ import annotations

from typing import Final

ACCESS: Final[dict[str, str]] = {
    "listGoals": "pair",
    "createGoal": "members",
    "getGoal": "pair",
    "reviseGoal": "members",
    "startGoal": "members",
    "recordGoalProgress": "members",
    "achieveGoal": "members",
    "dropGoal": "members",
}
