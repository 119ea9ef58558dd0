"""A program's settings as written and edited: bounds, objectives, a new program's draft, an edit's changes."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from app.domain.bounds import Bound
from app.domain.changes import UNSET, Unset
from app.domain.checkins import DEFAULT_AFTER_MEETING, DEFAULT_EVERY_DAYS
from app.domain.errors import DomainError, FieldProblem, invalid
from app.domain.programs.kinds import FocusArea

CADENCE_DAYS = Bound(1, 365, "cadence_out_of_range", "Cadence must be 1–365 days.")
PILOT_CAPACITY = Bound(
    2, 100_000, "pilot_capacity_out_of_range", "A pilot takes 2–100,000 participants (room for a pair at least)."
)
RELATIONSHIPS_PER_PERSON = Bound(
    1, 10, "relationships_per_person_out_of_range", "A person may have 1–10 relationships in a program."
)
OBJECTIVE_TARGET = Bound(0, None, "objective_target_negative", "An objective target cannot be negative.")
PERCENT_UNITS = frozenset({"%", "percent"})


@dataclass(frozen=True)
class Objective:
    """A measurable aim of the organisation, e.g. 70 % of seniors report better social-media skills."""

    id: UUID
    metric: str
    target: float
    unit: str
    description: str | None = None

    def __post_init__(self) -> None:
        if not self.metric.strip():
            raise invalid("objective_metric_required", "An objective needs a metric.", path="metric")
        OBJECTIVE_TARGET.check(self.target, path="target")
        if self.unit.strip().lower() in PERCENT_UNITS and self.target > 100:
            raise invalid("objective_target_over_100", "A percentage is at most 100.", path="target")


@dataclass(frozen=True, kw_only=True)
class ObjectiveDraft:
    """An objective as a coordinator writes it; ``id`` names an existing one when editing."""

    metric: str
    target: float
    unit: str
    description: str | None = None
    id: UUID | None = None


@dataclass(frozen=True, kw_only=True)
class ProgramDraft:
    """A new program's settings; ``role_turn_policy`` None takes the kind's default."""

    name: str
    description: str = ""
    focus_areas: Sequence[FocusArea] = ()
    objectives: Sequence[ObjectiveDraft] = ()
    cycle_start: date | None = None
    cycle_end: date | None = None
    cadence_days: int = 14
    checkin_after_meeting: int = DEFAULT_AFTER_MEETING
    checkin_every_days: int = DEFAULT_EVERY_DAYS
    role_turn_policy: str | None = None
    training_required: bool = False
    matching_rules: Mapping[str, Any] = field(default_factory=dict)
    pilot_capacity: int | None = None
    max_relationships_per_person: int = 1
    guidelines: str = ""
    incentives: Sequence[str] = ()
    coordinator_ids: Sequence[UUID] = ()
    committee_member_ids: Sequence[UUID] = ()


@dataclass(frozen=True, kw_only=True)
class ProgramChanges:
    """The settings an edit changes; lists replace the whole list, ``None`` clears a date or the capacity."""

    name: str | Unset = UNSET
    description: str | Unset = UNSET
    focus_areas: Sequence[FocusArea] | Unset = UNSET
    objectives: Sequence[ObjectiveDraft] | Unset = UNSET
    cycle_start: date | Unset | None = UNSET
    cycle_end: date | Unset | None = UNSET
    cadence_days: int | Unset = UNSET
    checkin_after_meeting: int | Unset = UNSET
    checkin_every_days: int | Unset = UNSET
    role_turn_policy: str | Unset = UNSET
    training_required: bool | Unset = UNSET
    matching_rules: Mapping[str, Any] | Unset = UNSET
    pilot_capacity: int | Unset | None = UNSET
    max_relationships_per_person: int | Unset = UNSET
    guidelines: str | Unset = UNSET
    incentives: Sequence[str] | Unset = UNSET
    coordinator_ids: Sequence[UUID] | Unset = UNSET
    committee_member_ids: Sequence[UUID] | Unset = UNSET


def objectives_from(
    drafts: Sequence[ObjectiveDraft], known: Sequence[Objective], new_id: Callable[[], UUID]
) -> list[Objective]:
    existing = {o.id for o in known}
    made: list[Objective] = []
    for index, draft in enumerate(drafts):
        if draft.id is not None and draft.id not in existing:
            raise invalid("objective_unknown", "No such objective in this program.", path=f"objectives[{index}].id")
        try:
            made.append(
                Objective(draft.id or new_id(), draft.metric, float(draft.target), draft.unit, draft.description)
            )
        except DomainError as error:  # say which objective
            error.errors = [FieldProblem(f"objectives[{index}].{p.path}", p.message) for p in error.errors]
            raise
    return made
