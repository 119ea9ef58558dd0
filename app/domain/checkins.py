"""Check-ins: a member's short pulse on how their relationship goes.

Rules:
- a check-in is due after the pair's meeting N is held (the program's ``after_meeting``, default 3)
  and then every D days after the previous one became due (``every_days``, default 60); each member
  has their own (:func:`next_due`);
- only a member of the relationship submits one (``not_a_member``), while the relationship is
  active or paused (``relationship_not_active``): a rating 1–5 (``checkin_rating_out_of_range``)
  plus what goes well and what does not (each up to 5,000 characters, optional);
- submitting fulfils the member's open due check-in, if any; one not submitted within
  ``MISSED_AFTER_DAYS`` of becoming due is missed (:meth:`CheckIn.miss`);
- the program's coordinators (and admins) read check-ins, and the author; the partner never does;
- a low average rating, and missed check-ins, feed the relationship's health
  (:mod:`app.domain.health`);
- events carry ids only: ``checkin.due`` when one becomes due, ``checkin.submitted`` when submitted,
  ``checkin.missed`` when missed — never a rating or text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal
from uuid import UUID

from app.domain.bounds import Bound
from app.domain.errors import conflict, invalid
from app.domain.events import CheckinDue, CheckinMissed, CheckinSubmitted, DomainEvent

CHECKIN_RATING = Bound(1, 5, "checkin_rating_out_of_range", "A rating is 1–5.")
CHECKIN_AFTER_MEETING = Bound(1, 50, "checkin_after_meeting_out_of_range", "The first check-in follows meeting 1–50.")
CHECKIN_EVERY_DAYS = Bound(7, 365, "checkin_every_days_out_of_range", "Check-ins repeat every 7–365 days.")
CHECKIN_TEXT_MAX = 5000
MISSED_AFTER_DAYS = 14
DEFAULT_AFTER_MEETING = 3
DEFAULT_EVERY_DAYS = 60

CheckinStatus = Literal["due", "submitted", "missed"]


@dataclass(frozen=True)
class CheckinSchedule:
    """When a program's pairs check in: after meeting ``after_meeting``, then every ``every_days``."""

    after_meeting: int = DEFAULT_AFTER_MEETING
    every_days: int = DEFAULT_EVERY_DAYS

    def __post_init__(self) -> None:
        CHECKIN_AFTER_MEETING.check(self.after_meeting, path="checkin_after_meeting")
        CHECKIN_EVERY_DAYS.check(self.every_days, path="checkin_every_days")


def next_due(
    schedule: CheckinSchedule, held_meeting_times: list[datetime], last_due_at: datetime | None
) -> datetime | None:
    """When the member's next check-in becomes due: at the N-th held meeting for the first, then
    ``every_days`` after the previous one became due; None while fewer than N meetings were held."""
    if last_due_at is not None:
        return last_due_at + timedelta(days=schedule.every_days)
    held = sorted(held_meeting_times)
    if len(held) < schedule.after_meeting:
        return None
    return held[schedule.after_meeting - 1]


def check_text(value: str, path: str) -> str:
    if len(value) > CHECKIN_TEXT_MAX:
        raise invalid("checkin_text_too_long", "Each answer is at most 5,000 characters.", path=path)
    return value.strip()


@dataclass(eq=False)
class CheckIn:
    """One member's check-in on one relationship: due, then submitted or missed."""

    id: UUID
    relationship_id: UUID
    program_id: UUID
    person_id: UUID
    status: CheckinStatus
    due_at: datetime | None
    rating: int | None = None
    going_well: str = ""
    not_going_well: str = ""
    submitted_at: datetime | None = None
    version: int = 1
    events: list[DomainEvent] = field(default_factory=list)

    @classmethod
    def become_due(
        cls, *, id: UUID, relationship_id: UUID, program_id: UUID, person_id: UUID, due_at: datetime
    ) -> CheckIn:
        checkin = cls(id, relationship_id, program_id, person_id, "due", due_at)
        checkin.events.append(
            CheckinDue(relationship_id=relationship_id, program_id=program_id, checkin_id=id, person_id=person_id)
        )
        return checkin

    @classmethod
    def unprompted(cls, *, id: UUID, relationship_id: UUID, program_id: UUID, person_id: UUID) -> CheckIn:
        """A check-in a member gives before one was due (submitted at once)."""
        return cls(id, relationship_id, program_id, person_id, "due", None)

    def submit(self, *, rating: int, going_well: str, not_going_well: str, now: datetime) -> None:
        if self.status != "due":
            raise conflict("checkin_closed", f"This check-in is {self.status}.")
        CHECKIN_RATING.check(rating, path="rating")
        self.going_well = check_text(going_well, "going_well")
        self.not_going_well = check_text(not_going_well, "not_going_well")
        self.rating, self.status, self.submitted_at = rating, "submitted", now
        self.events.append(
            CheckinSubmitted(
                relationship_id=self.relationship_id,
                program_id=self.program_id,
                checkin_id=self.id,
                person_id=self.person_id,
            )
        )

    def is_overdue(self, now: datetime) -> bool:
        return (
            self.status == "due" and self.due_at is not None and now - self.due_at > timedelta(days=MISSED_AFTER_DAYS)
        )

    def miss(self, now: datetime) -> None:
        """Close a due check-in nobody submitted in time (the job that sweeps them calls this)."""
        if not self.is_overdue(now):
            raise conflict("checkin_not_overdue", "A check-in is missed only once it is overdue.")
        self.status = "missed"
        self.events.append(
            CheckinMissed(
                relationship_id=self.relationship_id,
                program_id=self.program_id,
                checkin_id=self.id,
                person_id=self.person_id,
            )
        )
