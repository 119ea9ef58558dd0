"""Goals on two levels: the program's measurable objectives and a pair's learning goals.

Rules:
- program objectives are :class:`app.domain.programs.Objective` (metric, target, unit); a
  learning goal may link to one of its program's objectives.
- a learning goal lives in a relationship: its owner is the learner in that direction, the
  partner (the other member) is the accountability partner; owner ≠ partner; it has a title
  (``goal_title_required``) and its target date is not in the past when set
  (``target_date_in_past``).
- status ``open → in_progress → achieved | dropped``; an open goal may also be achieved or
  dropped directly (a goal met, or abandoned, before any progress was logged); achieved and
  dropped are final (``illegal_goal_transition``).
- only the owner and the partner act on a goal (``not_a_member``).
- a progress update carries a note and a percent 0–100 (``progress_percent_out_of_range``);
  the first update of an open goal moves it to in progress; a closed goal takes no updates.
- creating a goal records ``LearningGoalCreated``; moving it to in progress or dropped records
  ``GoalStatusChanged``; achieving it records ``GoalAchieved`` (no titles or notes in events).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal
from uuid import UUID

from app.domain.bounds import Bound
from app.domain.errors import conflict, forbidden, invalid
from app.domain.events import DomainEvent, GoalAchieved, GoalStatusChanged, LearningGoalCreated

PROGRESS_PERCENT = Bound(0, 100, "progress_percent_out_of_range", "Progress is 0–100 percent.")
GoalStatus = Literal["open", "in_progress", "achieved", "dropped"]

_TRANSITIONS: dict[GoalStatus, frozenset[GoalStatus]] = {
    "open": frozenset({"in_progress", "achieved", "dropped"}),
    "in_progress": frozenset({"achieved", "dropped"}),
    "achieved": frozenset(),
    "dropped": frozenset(),
}


@dataclass(frozen=True)
class ProgressUpdate:
    at: datetime
    author_id: UUID
    note: str
    percent: int

    def __post_init__(self) -> None:
        PROGRESS_PERCENT.check(self.percent, path="percent")


@dataclass(eq=False)
class LearningGoal:
    """The aggregate: what the owner wants to learn, how they will know, and the progress."""

    id: UUID
    relationship_id: UUID
    program_id: UUID
    owner_id: UUID
    partner_id: UUID
    title: str
    success_criteria: str
    created_at: datetime
    target_date: date | None = None
    objective_id: UUID | None = None
    status: GoalStatus = "open"
    progress: list[ProgressUpdate] = field(default_factory=list)
    closed_at: datetime | None = None
    version: int = 1
    events: list[DomainEvent] = field(default_factory=list)

    @classmethod
    def create(
        cls,
        *,
        id: UUID,
        relationship_id: UUID,
        program_id: UUID,
        owner_id: UUID,
        partner_id: UUID,
        title: str,
        success_criteria: str,
        now: datetime,
        target_date: date | None = None,
        objective_id: UUID | None = None,
    ) -> LearningGoal:
        if owner_id == partner_id:
            raise invalid("owner_is_partner", "The accountability partner is the other member.")
        _check_title(title)
        _check_target_date(target_date, now)
        goal = cls(
            id=id,
            relationship_id=relationship_id,
            program_id=program_id,
            owner_id=owner_id,
            partner_id=partner_id,
            title=title.strip(),
            success_criteria=success_criteria,
            created_at=now,
            target_date=target_date,
            objective_id=objective_id,
        )
        goal.events.append(
            LearningGoalCreated(
                relationship_id=relationship_id,
                program_id=program_id,
                goal_id=id,
                owner_id=owner_id,
                objective_id=objective_id,
            )
        )
        return goal

    @property
    def is_closed(self) -> bool:
        return self.status in ("achieved", "dropped")

    @property
    def latest_percent(self) -> int:
        return self.progress[-1].percent if self.progress else 0

    def _require_member(self, person_id: UUID) -> None:
        if person_id not in (self.owner_id, self.partner_id):
            raise forbidden("not_a_member", "Only the owner and the partner act on a goal.")

    def _move(self, to_status: GoalStatus, now: datetime) -> None:
        if to_status not in _TRANSITIONS[self.status]:
            raise conflict(
                "illegal_goal_transition",
                f"A goal cannot go from {self.status} to {to_status}.",
            )
        previous, self.status = self.status, to_status
        if self.is_closed:
            self.closed_at = now
        if to_status != "achieved":  # announced as GoalAchieved instead
            self.events.append(
                GoalStatusChanged(
                    relationship_id=self.relationship_id,
                    program_id=self.program_id,
                    goal_id=self.id,
                    owner_id=self.owner_id,
                    from_status=previous,
                    to_status=to_status,
                )
            )

    def revise(
        self,
        by: UUID,
        now: datetime,
        *,
        title: str | None = None,
        success_criteria: str | None = None,
        target_date: date | None = None,
    ) -> None:
        """Change the wording or the date of a goal that is still open or in progress."""
        self._require_member(by)
        if self.is_closed:
            raise conflict("goal_closed", f"The goal is {self.status}.")
        if title is not None:
            _check_title(title)
            self.title = title.strip()
        if success_criteria is not None:
            self.success_criteria = success_criteria
        if target_date is not None:
            _check_target_date(target_date, now)
            self.target_date = target_date

    def start(self, by: UUID, now: datetime) -> None:
        self._require_member(by)
        self._move("in_progress", now)

    def record_progress(self, by: UUID, note: str, percent: int, now: datetime) -> ProgressUpdate:
        self._require_member(by)
        if self.is_closed:
            raise conflict("goal_closed", f"The goal is {self.status}.")
        update = ProgressUpdate(at=now, author_id=by, note=note, percent=percent)
        if self.status == "open":
            self._move("in_progress", now)
        self.progress.append(update)
        return update

    def achieve(self, by: UUID, now: datetime) -> None:
        self._require_member(by)
        self._move("achieved", now)
        self.events.append(
            GoalAchieved(
                relationship_id=self.relationship_id,
                program_id=self.program_id,
                goal_id=self.id,
                owner_id=self.owner_id,
            )
        )

    def drop(self, by: UUID, now: datetime) -> None:
        self._require_member(by)
        self._move("dropped", now)


def _check_title(title: str) -> None:
    if not title.strip():
        raise invalid("goal_title_required", "A goal needs a title.", path="title")


def _check_target_date(target_date: date | None, now: datetime) -> None:
    if target_date is not None and target_date < now.date():
        raise invalid("target_date_in_past", "The target date has passed.", path="target_date")
