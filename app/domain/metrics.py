"""Program metrics: what the read side counts in SQL, turned into rates, with small cells withheld.

Rules:
- every rate is shown with the size of the group it is computed on; a rate computed on fewer than
  k (default 5) people or pairs is withheld (``None``), its group size still shown;
- a pair succeeded when its relationship completed; a pair is *trained* when both members had
  completed training in the program before the relationship was proposed; success rates compare
  trained and untrained pairs among the relationships that are over (completed or ended early,
  declined proposals left out);
- retention: the share of people still employed (not deactivated by the HRIS) among the program's
  participants (everyone who was in one of its pairs), against comparable non-participants — the
  employees of the same departments, active at the cycle's start, who never enrolled;
- the monthly series count enrolments, relationships activated and meetings held per calendar month.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

METRICS_K = 5


@dataclass(frozen=True)
class Rate:
    """``numerator / size``; ``value`` is None when ``size`` is below k (withheld) or zero."""

    size: int
    value: float | None

    @classmethod
    def of(cls, numerator: int, size: int, k: int = METRICS_K) -> Rate:
        return cls(size, round(numerator / size, 3) if size >= k and size > 0 else None)


@dataclass(frozen=True)
class ObjectiveProgress:
    objective_id: str
    metric: str
    target: float
    unit: str
    goals_linked: int
    goals_achieved: Rate


@dataclass(frozen=True)
class MonthCount:
    month: str  # YYYY-MM
    count: int


@dataclass(frozen=True)
class ProgramMetrics:
    program_id: str  # or "organisation" for the organisation-wide view
    k: int
    funnel: dict[str, int]
    match_rate: Rate
    days_to_match: float | None
    acceptance_rate: Rate
    meetings_held: int
    meetings_expected: int
    turn_balance: Rate  # share of held meetings led by the designated mentor
    health: dict[str, int]  # live pairs by the health last judged (on track, at risk, stalled…)
    goals: dict[str, int]
    goal_achievement: Rate
    objectives: list[ObjectiveProgress]
    checkins_submitted: int
    checkins_missed: int
    checkin_average: float | None
    surveys: list[dict[str, object]]
    outcomes: dict[str, int]
    completion_rate: Rate
    trained_success: Rate
    untrained_success: Rate
    participant_retention: Rate
    non_participant_retention: Rate
    monthly: dict[str, list[MonthCount]] = field(default_factory=dict)


def months(times: Iterable[datetime | None]) -> list[MonthCount]:
    counted = Counter(t.strftime("%Y-%m") for t in times if t is not None)
    return [MonthCount(month, counted[month]) for month in sorted(counted)]


def mean_days(pairs: Sequence[tuple[datetime | None, datetime | None]], k: int = METRICS_K) -> float | None:
    """Mean days from the first time to the second, over the pairs that have both (None below k)."""
    spans = [(b - a).total_seconds() / 86400 for a, b in pairs if a is not None and b is not None and b >= a]
    return round(sum(spans) / len(spans), 1) if len(spans) >= k else None


def rows_as_csv(metrics: ProgramMetrics) -> list[tuple[str, str, str]]:
    """(section, name, value) rows for a spreadsheet; withheld values are empty."""

    def shown(value: object) -> str:
        return "" if value is None else str(value)

    rows: list[tuple[str, str, str]] = []
    rows += [("funnel", name, str(count)) for name, count in metrics.funnel.items()]
    for name in (
        "match_rate", "acceptance_rate", "turn_balance", "goal_achievement", "completion_rate", "trained_success",
        "untrained_success", "participant_retention", "non_participant_retention",
    ):  # fmt: skip
        rate: Rate = getattr(metrics, name)
        rows += [("rates", f"{name}.size", str(rate.size)), ("rates", f"{name}.value", shown(rate.value))]
    rows += [
        ("meetings", "held", str(metrics.meetings_held)),
        ("meetings", "expected", str(metrics.meetings_expected)),
        ("matching", "days_to_match", shown(metrics.days_to_match)),
        ("checkins", "submitted", str(metrics.checkins_submitted)),
        ("checkins", "missed", str(metrics.checkins_missed)),
        ("checkins", "average", shown(metrics.checkin_average)),
    ]
    rows += [("goals", status, str(count)) for status, count in metrics.goals.items()]
    rows += [("outcomes", reason, str(count)) for reason, count in metrics.outcomes.items()]
    for series, counts in metrics.monthly.items():
        rows += [(f"monthly.{series}", c.month, str(c.count)) for c in counts]
    return rows
