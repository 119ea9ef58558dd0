"""Events of the mentoring core: relationships, role-turns, meetings and learning goals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar
from uuid import UUID

from app.domain.events.base import DomainEvent


# --- relationships, role-turns, meetings, goals (mentoring core) --------------------------------
@dataclass(frozen=True, kw_only=True)
class RelationshipEvent(DomainEvent):
    relationship_id: UUID
    program_id: UUID


@dataclass(frozen=True, kw_only=True)
class RelationshipProposed(RelationshipEvent):
    event_type: ClassVar[str] = "relationship.proposed"
    member_ids: list[UUID]
    source: str  # "matching" | "manual"


@dataclass(frozen=True, kw_only=True)
class RelationshipAccepted(RelationshipEvent):
    """One member accepted; the relationship becomes active when both have."""

    event_type: ClassVar[str] = "relationship.accepted"
    person_id: UUID


@dataclass(frozen=True, kw_only=True)
class RelationshipActivated(RelationshipEvent):
    event_type: ClassVar[str] = "relationship.activated"


@dataclass(frozen=True, kw_only=True)
class RelationshipPaused(RelationshipEvent):
    event_type: ClassVar[str] = "relationship.paused"


@dataclass(frozen=True, kw_only=True)
class RelationshipResumed(RelationshipEvent):
    event_type: ClassVar[str] = "relationship.resumed"


@dataclass(frozen=True, kw_only=True)
class RelationshipCompleted(RelationshipEvent):
    event_type: ClassVar[str] = "relationship.completed"


@dataclass(frozen=True, kw_only=True)
class RelationshipEnded(RelationshipEvent):
    event_type: ClassVar[str] = "relationship.ended"
    reason: str


@dataclass(frozen=True, kw_only=True)
class RelationshipAtRisk(RelationshipEvent):
    """The pair's health moved into ``at_risk`` (judged on a write, or by the periodic health sweep)."""

    event_type: ClassVar[str] = "relationship.at_risk"
    health: str


@dataclass(frozen=True, kw_only=True)
class RelationshipStalled(RelationshipEvent):
    """The pair's health moved into ``stalled`` (judged on a write, or by the periodic health sweep)."""

    event_type: ClassVar[str] = "relationship.stalled"
    health: str


@dataclass(frozen=True, kw_only=True)
class RelationshipAgreementUpdated(RelationshipEvent):
    """The members rewrote their agreement; only the cadence travels (the text stays private)."""

    event_type: ClassVar[str] = "relationship.agreement_updated"
    person_id: UUID
    cadence_days: int


@dataclass(frozen=True, kw_only=True)
class TurnPolicyProposed(RelationshipEvent):
    """One member proposed to replace the pair's role-turn policy; the other must accept."""

    event_type: ClassVar[str] = "turn.policy_proposed"
    proposed_by: UUID
    policy: str


@dataclass(frozen=True, kw_only=True)
class TurnPolicyChanged(RelationshipEvent):
    """A pair's mutually agreed override of the program's role-turn policy took effect."""

    event_type: ClassVar[str] = "turn.policy_changed"
    policy: str
    from_turn: int


@dataclass(frozen=True, kw_only=True)
class TurnPolicyDeclined(RelationshipEvent):
    """The other member declined the proposed policy; the pair keeps the one in force."""

    event_type: ClassVar[str] = "turn.policy_declined"
    person_id: UUID


@dataclass(frozen=True, kw_only=True)
class TurnPolicyWithdrawn(RelationshipEvent):
    """The proposer withdrew their policy proposal."""

    event_type: ClassVar[str] = "turn.policy_withdrawn"
    person_id: UUID


@dataclass(frozen=True, kw_only=True)
class TurnJuniorReady(RelationshipEvent):
    """Under ``senior_first`` the junior declared ready: they lead turn ``turn_index``."""

    event_type: ClassVar[str] = "turn.junior_ready"
    person_id: UUID
    turn_index: int


@dataclass(frozen=True, kw_only=True)
class TurnSwapRequested(RelationshipEvent):
    event_type: ClassVar[str] = "turn.swap_requested"
    swap_id: UUID
    requested_by: UUID


@dataclass(frozen=True, kw_only=True)
class TurnSwapDeclined(RelationshipEvent):
    """The other member declined a swap request; the next turn keeps its leader."""

    event_type: ClassVar[str] = "turn.swap_declined"
    swap_id: UUID
    person_id: UUID


@dataclass(frozen=True, kw_only=True)
class TurnSwapWithdrawn(RelationshipEvent):
    """The requester withdrew their swap request."""

    event_type: ClassVar[str] = "turn.swap_withdrawn"
    swap_id: UUID
    person_id: UUID


@dataclass(frozen=True, kw_only=True)
class TurnSwapped(RelationshipEvent):
    event_type: ClassVar[str] = "turn.swapped"
    swap_id: UUID
    new_leader_id: UUID


@dataclass(frozen=True, kw_only=True)
class MeetingEvent(RelationshipEvent):
    meeting_id: UUID


@dataclass(frozen=True, kw_only=True)
class MeetingScheduled(MeetingEvent):
    event_type: ClassVar[str] = "meeting.scheduled"
    starts_at: datetime
    leader_id: UUID


@dataclass(frozen=True, kw_only=True)
class MeetingRescheduled(MeetingEvent):
    event_type: ClassVar[str] = "meeting.rescheduled"
    starts_at: datetime


@dataclass(frozen=True, kw_only=True)
class MeetingHeld(MeetingEvent):
    event_type: ClassVar[str] = "meeting.held"
    led_by: UUID


@dataclass(frozen=True, kw_only=True)
class MeetingCancelled(MeetingEvent):
    event_type: ClassVar[str] = "meeting.cancelled"


@dataclass(frozen=True, kw_only=True)
class MeetingMissed(MeetingEvent):
    event_type: ClassVar[str] = "meeting.missed"


@dataclass(frozen=True, kw_only=True)
class LearningGoalCreated(RelationshipEvent):
    event_type: ClassVar[str] = "goal.created"
    goal_id: UUID
    owner_id: UUID
    objective_id: UUID | None = None


@dataclass(frozen=True, kw_only=True)
class GoalStatusChanged(RelationshipEvent):
    """open → in_progress, or → dropped. The move to achieved is announced as ``goal.achieved``."""

    event_type: ClassVar[str] = "goal.status_changed"
    goal_id: UUID
    owner_id: UUID
    from_status: str
    to_status: str


@dataclass(frozen=True, kw_only=True)
class GoalAchieved(RelationshipEvent):
    event_type: ClassVar[str] = "goal.achieved"
    goal_id: UUID
    owner_id: UUID
