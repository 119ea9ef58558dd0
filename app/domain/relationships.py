"""Relationship: two people in a program, their agreement and how they share the mentor's role.

Rules:
- status ``proposed → active ⇄ paused → completed | ended``; ``ended`` carries a reason
  (``mismatch``, ``rematch``, ``left_organisation``, ``other``, or ``declined`` when a member
  declined the proposal); a proposed relationship may also end; completed and ended are final.
  Any other move is ``illegal_relationship_transition`` (conflict).
- both members accept a proposal before it becomes active; one decline ends it with reason
  ``declined`` and returns a ``PairExclusion`` the caller must store so the pair is never
  proposed again; ending with reason ``rematch`` returns one too.
- only the two members accept, decline and edit the agreement; anyone else gets ``not_a_member``
  (forbidden). Who may pause, resume, complete or end (members, coordinators) is decided by
  ``policies``, not here. Turn requests (policy overrides, ready, swaps) follow the rules of
  :mod:`app.domain.turn_requests`.
- only the two members schedule meetings, and only while the relationship is ``active``
  (``relationship_not_active``); the role-turn policy names each meeting's leader, and a meeting
  placed before others shifts theirs: every scheduled meeting is re-planned from the same plan.
- the health signal last observed is kept (``health_status``) so that a move into ``at_risk`` or
  ``stalled`` is announced once (``RelationshipAtRisk``, ``RelationshipStalled``), not on every write
  (nor on every sweep).
- every state change records its event in ``events`` for the unit of work to publish.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from uuid import UUID

from app.domain.errors import DomainError, conflict, invalid
from app.domain.events import (
    DomainEvent,
    RelationshipAccepted,
    RelationshipActivated,
    RelationshipAgreementUpdated,
    RelationshipAtRisk,
    RelationshipCompleted,
    RelationshipEnded,
    RelationshipPaused,
    RelationshipProposed,
    RelationshipResumed,
    RelationshipStalled,
)
from app.domain.health import CheckinSignal, Health, HealthStatus, PausePeriod, assess_health
from app.domain.meetings import Meeting, MeetingMode, check_meeting_time
from app.domain.programs import CADENCE_DAYS
from app.domain.role_turns import MeetingEntry, plan
from app.domain.turn_policies import PolicyPeriod, TurnPolicy
from app.domain.turn_requests import PolicyProposal as PolicyProposal
from app.domain.turn_requests import SwapRequest as SwapRequest
from app.domain.turn_requests import SwapStatus as SwapStatus
from app.domain.turn_requests import TurnRequests

RelationshipStatus = Literal["proposed", "active", "paused", "completed", "ended"]
# A live relationship occupies its members' capacity in the program.
LIVE_STATUSES: frozenset[RelationshipStatus] = frozenset({"proposed", "active", "paused"})
EndReason = Literal["mismatch", "rematch", "left_organisation", "other", "declined"]
RelationshipSource = Literal["matching", "manual"]

_TRANSITIONS: dict[RelationshipStatus, frozenset[RelationshipStatus]] = {
    "proposed": frozenset({"active", "ended"}),
    "active": frozenset({"paused", "completed", "ended"}),
    "paused": frozenset({"active", "completed", "ended"}),
    "completed": frozenset(),
    "ended": frozenset(),
}
_END_REASONS = frozenset({"mismatch", "rematch", "left_organisation", "other"})


@dataclass(frozen=True)
class Agreement:
    """What the pair agreed on: shared goals, cadence (days), boundaries and channels."""

    shared_goals: list[str] = field(default_factory=list)
    cadence_days: int = 14
    boundaries: str = ""
    channels: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        CADENCE_DAYS.check(self.cadence_days, path="cadence_days")
        if any(not goal.strip() for goal in self.shared_goals):
            raise invalid(
                "shared_goal_blank",
                "A shared goal cannot be blank.",
                path="shared_goals",
            )
        if any(not channel.strip() for channel in self.channels):
            raise invalid("channel_blank", "A channel cannot be blank.", path="channels")


@dataclass(frozen=True)
class PairExclusion:
    """A pair that must never be proposed again in this program (declined, or rematched)."""

    program_id: UUID
    person_ids: frozenset[UUID]
    relationship_id: UUID
    reason: Literal["declined", "rematch"]
    at: datetime


def _illegal(from_status: str, to_status: str) -> DomainError:
    return conflict(
        "illegal_relationship_transition",
        f"A relationship cannot go from {from_status} to {to_status}.",
    )


@dataclass(eq=False)
class Relationship(TurnRequests):
    """The aggregate: two members, their agreement, acceptances, turn policy, ready and swaps."""

    id: UUID
    program_id: UUID
    member_a_id: UUID
    member_b_id: UUID
    # reverse: the junior who mentors; reciprocal: the first leader (the primary)
    designated_mentor_id: UUID
    senior_member_id: UUID
    program_policy: TurnPolicy
    source: RelationshipSource
    proposed_at: datetime
    agreement: Agreement = field(default_factory=Agreement)
    status: RelationshipStatus = "proposed"
    end_reason: EndReason | None = None
    acceptances: dict[UUID, datetime] = field(default_factory=dict)
    activated_at: datetime | None = None
    closed_at: datetime | None = None
    pauses: list[PausePeriod] = field(default_factory=list)
    policy_overrides: list[PolicyPeriod] = field(default_factory=list)
    policy_proposal: PolicyProposal | None = None
    ready_at_turn: int | None = None
    swaps: list[SwapRequest] = field(default_factory=list)
    # what matching said of the pair (None / "" for a manual pair)
    score: float | None = None
    explanation: str = ""
    health_status: HealthStatus = "not_judged"
    version: int = 1
    events: list[DomainEvent] = field(default_factory=list)

    @classmethod
    def propose(
        cls,
        *,
        id: UUID,
        program_id: UUID,
        member_a_id: UUID,
        member_b_id: UUID,
        designated_mentor_id: UUID,
        senior_member_id: UUID,
        program_policy: TurnPolicy,
        source: RelationshipSource,
        now: datetime,
        agreement: Agreement | None = None,
        score: float | None = None,
        explanation: str = "",
    ) -> Relationship:
        """Propose a pair (from a matching run or by hand).

        - the members differ; the designated mentor and the senior are members.
        """
        members = {member_a_id, member_b_id}
        if len(members) != 2:
            raise invalid("same_member_twice", "A relationship needs two different people.")
        if designated_mentor_id not in members or senior_member_id not in members:
            raise invalid(
                "mentor_not_a_member",
                "The mentor and the senior must be members of the pair.",
            )
        relationship = cls(
            id=id,
            program_id=program_id,
            member_a_id=member_a_id,
            member_b_id=member_b_id,
            designated_mentor_id=designated_mentor_id,
            senior_member_id=senior_member_id,
            program_policy=program_policy,
            source=source,
            proposed_at=now,
            agreement=agreement or Agreement(),
            score=score,
            explanation=explanation,
        )
        relationship.events.append(
            RelationshipProposed(
                relationship_id=id,
                program_id=program_id,
                member_ids=[member_a_id, member_b_id],
                source=source,
            )
        )
        return relationship

    # --- lifecycle -------------------------------------------------------------------------
    def _move(self, to_status: RelationshipStatus) -> None:
        if to_status not in _TRANSITIONS[self.status]:
            raise _illegal(self.status, to_status)
        self.status = to_status

    def accept(self, by: UUID, now: datetime) -> None:
        """A member accepts the proposal; when both have, the relationship is active."""
        self._require_member(by)
        if self.status != "proposed":
            raise _illegal(self.status, "active")
        if by in self.acceptances:
            raise conflict("already_accepted", "You already accepted this relationship.")
        self.acceptances[by] = now
        self._record(RelationshipAccepted, person_id=by)
        if len(self.acceptances) == 2:
            self._move("active")
            self.activated_at = now
            self._record(RelationshipActivated)

    def decline(self, by: UUID, now: datetime) -> PairExclusion:
        """A member declines: the relationship ends (``declined``); store the exclusion."""
        self._require_member(by)
        if self.status != "proposed":
            raise _illegal(self.status, "ended")
        self._close("ended", now, "declined")
        return self._exclusion("declined", now)

    def pause(self, now: datetime) -> None:
        self._move("paused")
        self.pauses.append(PausePeriod(started_at=now))
        self._record(RelationshipPaused)

    def resume(self, now: datetime) -> None:
        self._move("active")
        self._end_pause(now)
        self._record(RelationshipResumed)

    def complete(self, now: datetime) -> None:
        self._close("completed", now, None)

    def end(self, reason: EndReason, now: datetime) -> PairExclusion | None:
        """End early; ``rematch`` returns the exclusion the caller must store."""
        if reason not in _END_REASONS:
            raise invalid(
                "invalid_end_reason",
                f"Cannot end a relationship with reason {reason!r}.",
                path="reason",
            )
        self._close("ended", now, reason)
        return self._exclusion("rematch", now) if reason == "rematch" else None

    def _close(self, to_status: RelationshipStatus, now: datetime, reason: EndReason | None) -> None:
        self._move(to_status)
        self._end_pause(now)
        self.closed_at = now
        self.end_reason = reason
        self.policy_proposal = None
        for swap in self.swaps:
            if swap.status == "pending":
                swap.status, swap.decided_at = "withdrawn", now
        if reason is None:
            self._record(RelationshipCompleted)
        else:
            self.events.append(RelationshipEnded(relationship_id=self.id, program_id=self.program_id, reason=reason))

    def _end_pause(self, now: datetime) -> None:
        if self.pauses and self.pauses[-1].ended_at is None:
            self.pauses[-1] = PausePeriod(self.pauses[-1].started_at, now)

    def _exclusion(self, reason: Literal["declined", "rematch"], now: datetime) -> PairExclusion:
        return PairExclusion(self.program_id, frozenset(self.member_ids), self.id, reason, now)

    def _record(
        self,
        event: type[
            RelationshipAccepted
            | RelationshipActivated
            | RelationshipPaused
            | RelationshipResumed
            | RelationshipCompleted
        ],
        **fields: UUID,
    ) -> None:
        self.events.append(event(relationship_id=self.id, program_id=self.program_id, **fields))

    # --- agreement -------------------------------------------------------------------------
    def update_agreement(self, by: UUID, agreement: Agreement, now: datetime) -> None:
        """Members (only) rewrite the agreement while the relationship is not closed."""
        self._require_member(by)
        if self.status in ("completed", "ended"):
            raise conflict("relationship_not_active", f"The relationship is {self.status}.")
        if agreement == self.agreement:
            return
        self.agreement = agreement
        self.events.append(
            RelationshipAgreementUpdated(
                relationship_id=self.id, program_id=self.program_id, person_id=by, cadence_days=agreement.cadence_days
            )
        )

    # --- meetings --------------------------------------------------------------------------
    def schedule_meeting(
        self,
        *,
        by: UUID,
        meeting_id: UUID,
        meetings: Sequence[Meeting],
        starts_at: datetime,
        duration_minutes: int,
        mode: MeetingMode,
        agenda: str,
        now: datetime,
    ) -> Meeting:
        """A member schedules a meeting; ``meetings`` are all the pair's meetings so far."""
        self._require_member(by)
        if self.status != "active":
            raise conflict("relationship_not_active", f"The relationship is {self.status}.")
        check_meeting_time(starts_at, duration_minutes)  # before any arithmetic on the time
        entries = [MeetingEntry.of(m) for m in meetings] + [MeetingEntry(meeting_id, starts_at, "scheduled")]
        leaders = self._leaders(entries)
        meeting = Meeting.schedule(
            id=meeting_id,
            relationship_id=self.id,
            program_id=self.program_id,
            member_ids=self.member_ids,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            mode=mode,
            planned_leader_id=leaders[meeting_id],
            now=now,
            agenda=agenda,
        )
        self._assign(meetings, leaders)
        return meeting

    def replan_meetings(self, meetings: Sequence[Meeting]) -> None:
        """Give every scheduled meeting the leader the policy projects for it now: cancelling,
        holding or moving a meeting, a swap, an override or a ready declaration can shift them."""
        self._assign(meetings, self._leaders([MeetingEntry.of(m) for m in meetings]))

    def _leaders(self, entries: Sequence[MeetingEntry]) -> dict[UUID, UUID]:
        return {turn.meeting_id: turn.decision.leader_id for turn in plan(self.turn_context(), entries)}

    @staticmethod
    def _assign(meetings: Sequence[Meeting], leaders: dict[UUID, UUID]) -> None:
        for meeting in meetings:
            if meeting.id in leaders:
                meeting.replan_leader(leaders[meeting.id])

    @property
    def is_live(self) -> bool:
        """Proposed, active or paused: it occupies a place of each member's capacity."""
        return self.status in LIVE_STATUSES

    # --- health ----------------------------------------------------------------------------
    def health(
        self,
        held_meeting_times: Iterable[datetime],
        now: datetime,
        checkin_signals: Iterable[CheckinSignal] = (),
    ) -> Health:
        """The health signal against the agreed cadence (closed relationships are not judged)."""
        activated = self.activated_at if self.status in ("active", "paused") else None
        return assess_health(
            self.agreement.cadence_days,
            activated,
            held_meeting_times,
            now,
            checkin_signals,
            self.pauses,
        )

    def observe_health(self, health: Health) -> bool:
        """Keep the latest signal; announce a move into at risk (``relationship.at_risk``) or stalled
        (``relationship.stalled``), once per move."""
        previous, self.health_status = self.health_status, health.status
        if health.status != previous:
            if health.status == "at_risk":
                self.events.append(
                    RelationshipAtRisk(relationship_id=self.id, program_id=self.program_id, health=health.status)
                )
            elif health.status == "stalled":
                self.events.append(
                    RelationshipStalled(relationship_id=self.id, program_id=self.program_id, health=health.status)
                )
        return previous != health.status
