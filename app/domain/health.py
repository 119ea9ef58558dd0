"""Relationship health: on track, at risk or stalled, from meetings held against the cadence.

Time is measured in *active* time: from activation to now, minus any time the relationship spent
paused. With ``c`` the agreed cadence in days:

Rules:
- not judged (``not_judged``): a relationship that was never activated (``not_active``) or is
  paused now (``paused``);
- ``expected_meetings`` = whole cadences of active time, ``floor(active_days / c)``;
- stalled when nothing was held after ``2 × c`` active days (``none_held_after_2_cadences``) or
  the last held meeting is more than ``3 × c`` active days ago (``no_meeting_for_3_cadences``);
- otherwise at risk when the last meeting (or the activation, if none) is more than ``1.5 × c``
  active days ago (``meeting_overdue``), or fewer than 75 % of the expected meetings were held
  (``behind_cadence``);
- otherwise at risk when a member's latest two check-ins were both missed (``missed_checkins``),
  or the recent check-ins are poor: the average rating of the latest three submitted (1–5) is 2 or
  less (``low_checkins``); check-ins never make a relationship stalled and never hide a meeting
  problem;
- otherwise on track (``on_cadence``).
The first matching rule gives the reason.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from uuid import UUID

from app.domain.errors import invalid

HealthStatus = Literal["on_track", "at_risk", "stalled", "not_judged"]
HealthReason = Literal[
    "on_cadence",
    "behind_cadence",
    "meeting_overdue",
    "low_checkins",
    "missed_checkins",
    "no_meeting_for_3_cadences",
    "none_held_after_2_cadences",
    "paused",
    "not_active",
]

AT_RISK_HELD_RATIO = 0.75
AT_RISK_GAP_CADENCES = 1.5
STALLED_GAP_CADENCES = 3.0
STALLED_FIRST_MEETING_CADENCES = 2.0
LOW_CHECKIN_AVERAGE = 2.0
RECENT_CHECKINS = 3
MISSED_IN_A_ROW = 2

_DAY = timedelta(days=1)


@dataclass(frozen=True)
class PausePeriod:
    """A time the relationship was paused; ``ended_at`` is None while it still is."""

    started_at: datetime
    ended_at: datetime | None = None


@dataclass(frozen=True)
class CheckinSignal:
    """A check-in of ``person_id`` at ``at``: its rating (1–5), or None when it was missed; only the
    rating feeds health, never the text."""

    at: datetime
    rating: int | None
    person_id: UUID | None = None

    @property
    def missed(self) -> bool:
        return self.rating is None

    def __post_init__(self) -> None:
        if self.rating is not None and not 1 <= self.rating <= 5:
            raise invalid("checkin_rating_out_of_range", "A rating is 1–5.", path="rating")


@dataclass(frozen=True)
class Health:
    status: HealthStatus
    reason: HealthReason
    expected_meetings: int
    held_meetings: int
    # active days since the last held meeting; None if none was held
    days_since_last: int | None

    @property
    def judged(self) -> bool:
        return self.status != "not_judged"


def _paused_overlap(pauses: Iterable[PausePeriod], start: datetime, end: datetime) -> timedelta:
    total = timedelta(0)
    for pause in pauses:
        pause_end = end if pause.ended_at is None else min(pause.ended_at, end)
        overlap = pause_end - max(pause.started_at, start)
        if overlap > timedelta(0):
            total += overlap
    return total


def _active(pauses: Sequence[PausePeriod], start: datetime, end: datetime) -> timedelta:
    return max(timedelta(0), (end - start) - _paused_overlap(pauses, start, end))


def assess_health(
    cadence_days: int,
    activated_at: datetime | None,
    held_meeting_times: Iterable[datetime],
    now: datetime,
    checkin_signals: Iterable[CheckinSignal] = (),
    pauses: Sequence[PausePeriod] = (),
) -> Health:
    """Judge a relationship's health at ``now`` (see the module rules)."""
    if cadence_days < 1:
        raise invalid("cadence_out_of_range", "Cadence must be at least one day.")
    held = sorted(t for t in held_meeting_times if activated_at is None or activated_at <= t <= now)
    if activated_at is None:
        return Health("not_judged", "not_active", 0, len(held), None)
    if any(p.started_at <= now and (p.ended_at is None or p.ended_at > now) for p in pauses):
        return Health("not_judged", "paused", 0, len(held), None)

    cadence = timedelta(days=cadence_days)
    active = _active(pauses, activated_at, now)
    expected = math.floor(active / cadence)
    gap = _active(pauses, held[-1], now) if held else active
    days_since_last = math.floor(gap / _DAY) if held else None

    def verdict(status: HealthStatus, reason: HealthReason) -> Health:
        return Health(status, reason, expected, len(held), days_since_last)

    if not held and active > STALLED_FIRST_MEETING_CADENCES * cadence:
        return verdict("stalled", "none_held_after_2_cadences")
    if held and gap > STALLED_GAP_CADENCES * cadence:
        return verdict("stalled", "no_meeting_for_3_cadences")
    if gap > AT_RISK_GAP_CADENCES * cadence:
        return verdict("at_risk", "meeting_overdue")
    if len(held) < AT_RISK_HELD_RATIO * expected:
        return verdict("at_risk", "behind_cadence")
    signals = sorted((s for s in checkin_signals if s.at <= now), key=lambda s: s.at)
    by_member: dict[UUID | None, list[CheckinSignal]] = {}
    for signal in signals:
        by_member.setdefault(signal.person_id, []).append(signal)
    if any(len(own) >= MISSED_IN_A_ROW and all(s.missed for s in own[-MISSED_IN_A_ROW:]) for own in by_member.values()):
        return verdict("at_risk", "missed_checkins")
    recent = [s.rating for s in signals if s.rating is not None][-RECENT_CHECKINS:]
    if recent and sum(recent) / len(recent) <= LOW_CHECKIN_AVERAGE:
        return verdict("at_risk", "low_checkins")
    return verdict("on_track", "on_cadence")
