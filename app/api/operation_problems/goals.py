"""The problem codes of the operations in ``routes/goals.py``: a relationship's goals."""

from __future__ import annotations

from typing import Final

CODES: Final[dict[str, tuple[str, ...]]] = {
    "achieveGoal": (
        "actor_not_a_person",
        "goal_not_found",
        "illegal_goal_transition",
        "not_a_member",
        "program_not_found",
    ),
    "createGoal": (
        "actor_not_a_person",
        "goal_title_required",
        "not_a_member",
        "objective_unknown",
        "owner_is_partner",
        "owner_not_a_member",
        "program_not_found",
        "relationship_not_active",
        "relationship_not_found",
        "target_date_in_past",
    ),
    "dropGoal": ("actor_not_a_person", "goal_not_found", "not_a_member", "program_not_found"),
    "getGoal": ("goal_not_found", "program_not_found"),
    "listGoals": ("program_not_found", "relationship_not_found"),
    "recordGoalProgress": (
        "actor_not_a_person",
        "goal_closed",
        "goal_not_found",
        "illegal_goal_transition",
        "not_a_member",
        "program_not_found",
        "progress_percent_out_of_range",
    ),
    "reviseGoal": (
        "actor_not_a_person",
        "goal_closed",
        "goal_not_found",
        "goal_title_required",
        "not_a_member",
        "program_not_found",
        "target_date_in_past",
    ),
    "startGoal": ("actor_not_a_person", "goal_not_found", "not_a_member", "program_not_found"),
}
