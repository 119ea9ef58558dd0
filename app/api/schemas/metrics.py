from __future__ import annotations

from typing import Any

from pydantic import Field

from app.api.schemas.base import Output


class MetricsOut(Output):
    """A program's metrics. Each rate is ``{"size": n, "value": r}``: ``value`` is null when the
    group is smaller than ``k``."""

    program_id: str
    k: int
    funnel: dict[str, int]
    match_rate: dict[str, Any]
    days_to_match: float | None
    acceptance_rate: dict[str, Any]
    meetings_held: int
    meetings_expected: int
    turn_balance: dict[str, Any] = Field(description="Share of held meetings led by the designated mentor.")
    health: dict[str, int] = Field(description="Active and paused pairs by the health last judged.")
    goals: dict[str, int]
    goal_achievement: dict[str, Any]
    objectives: list[dict[str, Any]]
    checkins_submitted: int
    checkins_missed: int
    checkin_average: float | None
    surveys: list[dict[str, Any]]
    outcomes: dict[str, int]
    completion_rate: dict[str, Any]
    trained_success: dict[str, Any] = Field(
        description="Pairs whose members both trained before the pair was proposed."
    )
    untrained_success: dict[str, Any]
    participant_retention: dict[str, Any]
    non_participant_retention: dict[str, Any] = Field(
        description="Employees of the participants' departments, active at the cycle's start, never enrolled."
    )
    monthly: dict[str, list[dict[str, Any]]]
