"""Meeting: one session of a pair, the turn it belongs to, and what the members keep of it.

Rules:
- ``starts_at`` is timezone-aware (``naive_datetime``); the duration is 5–480 minutes
  (:data:`DURATION_MINUTES`, ``duration_out_of_range``); the mode is in person, video, chat or forum.
- a meeting starts no earlier than :data:`EARLIEST_MEETING_START` and ends no later than
  :data:`LATEST_MEETING_END` (``meeting_time_out_of_range``): a sane window that every database,
  calendar and client can store and compute with. A row stored before the window was enforced
  still reads (its end is clamped), it never breaks a list or a feed.
- resource links are web (``http``, ``https``) or e-mail (``mailto``) addresses with somewhere to
  go (``resource_url_unsafe``): a ``javascript:``, ``data:`` or ``file:`` link would run or open
  something in whatever front end renders it.
- status ``scheduled → held | cancelled | missed``; held, cancelled and missed are final
  (``illegal_meeting_transition``); only a scheduled meeting is rescheduled or re-planned.
- a meeting may be scheduled in the past, so a pair can record a meeting after the fact.
- a meeting is held or missed only once it has started: ``starts_at ≤ now``, else
  ``meeting_in_future``.
- the planned leader is projected by the role-turn engine and re-planned while scheduled (an
  earlier cancellation shifts it). When held, ``led_by`` defaults to the planned leader and may
  be the other member: that is drift, reported by the role-turn ledger, never refused.
- cancelled and missed meetings consume no turn.
- only the two members write shared notes, suggest resources and write reflections
  (``not_a_member``); nothing is written on a cancelled meeting (``meeting_cancelled``).
- a private reflection is written after the meeting was held (``meeting_not_held``) and is read
  by its author only: ``reflection_for(reader)`` returns the reader's own reflection, nobody
  else's, whoever asks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal
from urllib.parse import urlsplit
from uuid import UUID

from app.domain.bounds import Bound
from app.domain.errors import DomainError, conflict, forbidden, invalid
from app.domain.events import (
    DomainEvent,
    MeetingCancelled,
    MeetingHeld,
    MeetingMissed,
    MeetingRescheduled,
    MeetingScheduled,
)

MeetingMode = Literal["in_person", "video", "chat", "forum"]
MeetingStatus = Literal["scheduled", "held", "cancelled", "missed"]
ResourceKind = Literal["expert", "material"]

DURATION_MINUTES = Bound(5, 480, "duration_out_of_range", "A meeting lasts 5–480 minutes.")
EARLIEST_MEETING_START = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_MEETING_END = datetime(2100, 1, 1, tzinfo=UTC)
SAFE_LINK_SCHEMES = ("https", "http", "mailto")
_MODES = frozenset({"in_person", "video", "chat", "forum"})


def is_safe_link(url: str) -> bool:
    """A link a front end may render as-is: a web page with a host, or an e-mail address."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    if parts.scheme.lower() not in SAFE_LINK_SCHEMES:
        return False
    return bool(parts.path) if parts.scheme.lower() == "mailto" else bool(parts.hostname)


@dataclass(frozen=True)
class Resource:
    """A suggestion made in a meeting: a link to another expert or to material."""

    title: str
    url: str
    kind: ResourceKind
    suggested_by: UUID | None = None

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise invalid("resource_title_required", "A resource needs a title.", path="title")
        if not self.url.strip():
            raise invalid("resource_url_required", "A resource needs a link.", path="url")
        if self.kind not in ("expert", "material"):
            raise invalid(
                "resource_kind_invalid",
                "A resource is an expert or material.",
                path="kind",
            )


@dataclass(frozen=True)
class Reflection:
    """A member's private reflection on a meeting: only its author can ever read it."""

    author_id: UUID
    text: str
    written_at: datetime
    version: int = 1  # rewrites count up, for the author's If-Match


def check_starts_at(starts_at: datetime) -> None:
    if starts_at.tzinfo is None or starts_at.utcoffset() is None:
        raise invalid("naive_datetime", "A meeting time needs a timezone.", path="starts_at")


def check_meeting_time(starts_at: datetime, duration_minutes: int) -> None:
    """A meeting's time as given: with a timezone, a sane length, inside the meeting window."""
    check_starts_at(starts_at)
    _check_duration(duration_minutes)
    # compared before any arithmetic: adding minutes to a time near the calendar's end overflows
    latest_start = LATEST_MEETING_END - timedelta(minutes=duration_minutes)
    if not EARLIEST_MEETING_START <= starts_at <= latest_start:
        raise invalid(
            "meeting_time_out_of_range",
            f"A meeting takes place between {EARLIEST_MEETING_START:%Y-%m-%d} and {LATEST_MEETING_END:%Y-%m-%d} (UTC).",
            path="starts_at",
        )


def _check_duration(minutes: int) -> None:
    DURATION_MINUTES.check(minutes, path="duration_minutes")


def _check_mode(mode: str) -> None:
    if mode not in _MODES:
        raise invalid("meeting_mode_invalid", f"Unknown meeting mode {mode!r}.", path="mode")


@dataclass(eq=False)
class Meeting:
    """The aggregate: time, mode, leader of the turn, status, notes, resources, reflections."""

    id: UUID
    relationship_id: UUID
    program_id: UUID
    member_ids: tuple[UUID, UUID]
    starts_at: datetime
    duration_minutes: int
    mode: MeetingMode
    planned_leader_id: UUID
    agenda: str = ""
    status: MeetingStatus = "scheduled"
    led_by: UUID | None = None
    shared_notes: str = ""
    resources: list[Resource] = field(default_factory=list)
    reflections: dict[UUID, Reflection] = field(default_factory=dict, repr=False)
    scheduled_at: datetime | None = None
    closed_at: datetime | None = None  # when held, cancelled or marked missed
    version: int = 1
    events: list[DomainEvent] = field(default_factory=list)

    @classmethod
    def schedule(
        cls,
        *,
        id: UUID,
        relationship_id: UUID,
        program_id: UUID,
        member_ids: tuple[UUID, UUID],
        starts_at: datetime,
        duration_minutes: int,
        mode: MeetingMode,
        planned_leader_id: UUID,
        now: datetime,
        agenda: str = "",
    ) -> Meeting:
        """Schedule a meeting led (as planned) by the leader the role-turn engine projected."""
        check_meeting_time(starts_at, duration_minutes)
        _check_mode(mode)
        if planned_leader_id not in member_ids:
            raise forbidden("not_a_member", "The leader must be a member of the relationship.")
        meeting = cls(
            id=id,
            relationship_id=relationship_id,
            program_id=program_id,
            member_ids=member_ids,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            mode=mode,
            planned_leader_id=planned_leader_id,
            agenda=agenda,
            scheduled_at=now,
        )
        meeting.events.append(
            MeetingScheduled(
                relationship_id=relationship_id,
                program_id=program_id,
                meeting_id=id,
                starts_at=starts_at,
                leader_id=planned_leader_id,
            )
        )
        return meeting

    # --- status ----------------------------------------------------------------------------
    def _illegal(self, to_status: str) -> DomainError:
        return conflict(
            "illegal_meeting_transition",
            f"A meeting cannot go from {self.status} to {to_status}.",
        )

    def _require_scheduled(self, action: str) -> None:
        if self.status != "scheduled":
            raise self._illegal(action)

    def _require_started(self, now: datetime) -> None:
        if self.starts_at > now:
            raise conflict("meeting_in_future", "The meeting has not started yet.")

    def reschedule(self, starts_at: datetime, now: datetime, duration_minutes: int | None = None) -> None:
        """Move a scheduled meeting (and optionally change its length)."""
        self._require_scheduled("rescheduled")
        minutes = self.duration_minutes if duration_minutes is None else duration_minutes
        check_meeting_time(starts_at, minutes)
        self.duration_minutes = minutes
        self.starts_at = starts_at
        self.events.append(
            MeetingRescheduled(
                relationship_id=self.relationship_id,
                program_id=self.program_id,
                meeting_id=self.id,
                starts_at=starts_at,
            )
        )

    def replan_leader(self, leader_id: UUID) -> bool:
        """Store a newly projected leader (turns shift when earlier meetings change).

        Returns whether it changed. No event: a projection is not a decision.
        """
        self._require_scheduled("re-planned")
        self._require_member(leader_id)
        changed = leader_id != self.planned_leader_id
        self.planned_leader_id = leader_id
        return changed

    def mark_held(self, now: datetime, led_by: UUID | None = None) -> None:
        """The meeting took place; ``led_by`` (default: the planned leader) led it."""
        self._require_scheduled("held")
        self._require_started(now)
        leader = self.planned_leader_id if led_by is None else led_by
        self._require_member(leader)
        self.status, self.led_by, self.closed_at = "held", leader, now
        self.events.append(
            MeetingHeld(
                relationship_id=self.relationship_id,
                program_id=self.program_id,
                meeting_id=self.id,
                led_by=leader,
            )
        )

    def cancel(self, now: datetime) -> None:
        self._require_scheduled("cancelled")
        self.status, self.closed_at = "cancelled", now
        self.events.append(
            MeetingCancelled(
                relationship_id=self.relationship_id,
                program_id=self.program_id,
                meeting_id=self.id,
            )
        )

    def mark_missed(self, now: datetime) -> None:
        """Nobody met at the agreed time; the turn stays with the same leader."""
        self._require_scheduled("missed")
        self._require_started(now)
        self.status, self.closed_at = "missed", now
        self.events.append(
            MeetingMissed(
                relationship_id=self.relationship_id,
                program_id=self.program_id,
                meeting_id=self.id,
            )
        )

    @property
    def ends_at(self) -> datetime:
        try:
            return self.starts_at + timedelta(minutes=self.duration_minutes)
        except OverflowError:  # a row stored before the meeting window was enforced
            return datetime.max.replace(tzinfo=UTC)

    @property
    def drifted(self) -> bool:
        """Held, and led by someone other than the planned leader."""
        return self.led_by is not None and self.led_by != self.planned_leader_id

    # --- content ---------------------------------------------------------------------------
    def _require_member(self, person_id: UUID) -> None:
        if person_id not in self.member_ids:
            raise forbidden("not_a_member", "Only the two members of the relationship may do this.")

    def _require_writable(self, by: UUID) -> None:
        self._require_member(by)
        if self.status == "cancelled":
            raise conflict("meeting_cancelled", "The meeting was cancelled.")

    def update_agenda(self, by: UUID, agenda: str, now: datetime) -> None:
        self._require_writable(by)
        self.agenda = agenda

    def update_notes(self, by: UUID, notes: str, now: datetime) -> None:
        """Shared notes: both members read and write them."""
        self._require_writable(by)
        self.shared_notes = notes

    def add_resource(self, by: UUID, resource: Resource, now: datetime) -> Resource:
        """Suggest a link to an expert or material; the suggester is recorded."""
        self._require_writable(by)
        if not is_safe_link(resource.url):
            raise invalid(
                "resource_url_unsafe",
                f"A resource links to a web page or an e-mail address ({', '.join(SAFE_LINK_SCHEMES)}).",
                path="url",
            )
        suggested = Resource(resource.title, resource.url, resource.kind, suggested_by=by)
        self.resources.append(suggested)
        return suggested

    def write_reflection(self, author_id: UUID, text: str, now: datetime) -> Reflection:
        """Write (or rewrite) the author's private reflection on a held meeting."""
        self._require_writable(author_id)
        if self.status != "held":
            raise conflict("meeting_not_held", "Reflect on a meeting once it was held.")
        if not text.strip():
            raise invalid("reflection_blank", "A reflection cannot be blank.", path="text")
        earlier = self.reflections.get(author_id)
        version = 1 if earlier is None else earlier.version + 1
        reflection = Reflection(author_id=author_id, text=text, written_at=now, version=version)
        self.reflections[author_id] = reflection
        return reflection

    def reflection_for(self, reader_id: UUID) -> Reflection | None:
        """The reader's own reflection, or None: never anyone else's."""
        return self.reflections.get(reader_id)
