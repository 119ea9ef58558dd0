"""Domain events: frozen dataclasses, one per event type.

Every state change raises one. The unit of work collects them and writes them to the outbox in the
same transaction as the change. Payloads carry identifiers and the minimal fields a receiver needs,
never private text. ``event_type`` is the public name (``program.status_changed``) and part of the
webhook contract: change it only on purpose.
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any, ClassVar
from uuid import UUID

_sequence = itertools.count()


@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    event_type: ClassVar[str] = "event"
    # Raising order within the process: the unit of work writes a use case's events in this order.
    sequence: int = field(default_factory=lambda: next(_sequence), init=False, repr=False, compare=False)

    def payload(self) -> dict[str, Any]:
        """The JSON-ready body a webhook receiver gets (ids as strings, times ISO-8601)."""
        return {f.name: _jsonable(getattr(self, f.name)) for f in dataclasses.fields(self) if f.name != "sequence"}


def _jsonable(value: Any) -> Any:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


# --- people -------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class PersonCreated(DomainEvent):
    event_type: ClassVar[str] = "person.created"
    person_id: UUID
    external_id: str | None


@dataclass(frozen=True, kw_only=True)
class PersonUpdated(DomainEvent):
    event_type: ClassVar[str] = "person.updated"
    person_id: UUID
    fields: list[str]


@dataclass(frozen=True, kw_only=True)
class PersonDeactivated(DomainEvent):
    event_type: ClassVar[str] = "person.deactivated"
    person_id: UUID


@dataclass(frozen=True, kw_only=True)
class PersonReactivated(DomainEvent):
    event_type: ClassVar[str] = "person.reactivated"
    person_id: UUID


@dataclass(frozen=True, kw_only=True)
class IdentityLinked(DomainEvent):
    """A sign-in identity was linked to a person by e-mail, on the person's first sign-in at the issuer."""

    event_type: ClassVar[str] = "person.identity_linked"
    person_id: UUID
    issuer: str
    subject: str


@dataclass(frozen=True, kw_only=True)
class IdentityUnlinked(DomainEvent):
    """An admin unlinked a sign-in identity from a person: it no longer signs in as them."""

    event_type: ClassVar[str] = "person.identity_unlinked"
    person_id: UUID
    issuer: str
    subject: str
    unlinked_by: UUID | None


# --- API keys -----------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class ApiKeyCreated(DomainEvent):
    """An admin created an API key for an integration (the secret is never part of any event)."""

    event_type: ClassVar[str] = "api_key.created"
    api_key_id: UUID
    prefix: str
    scopes: list[str]
    expires_at: datetime | None
    created_by: UUID | None


@dataclass(frozen=True, kw_only=True)
class ApiKeyRevoked(DomainEvent):
    """An admin revoked an API key: it stops working at once in this process, within seconds elsewhere."""

    event_type: ClassVar[str] = "api_key.revoked"
    api_key_id: UUID
    prefix: str
    revoked_by: UUID | None


# --- programs -----------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class ProgramCreated(DomainEvent):
    event_type: ClassVar[str] = "program.created"
    program_id: UUID
    kind: str


@dataclass(frozen=True, kw_only=True)
class ProgramUpdated(DomainEvent):
    event_type: ClassVar[str] = "program.updated"
    program_id: UUID
    fields: list[str]


@dataclass(frozen=True, kw_only=True)
class ProgramStatusChanged(DomainEvent):
    event_type: ClassVar[str] = "program.status_changed"
    program_id: UUID
    from_status: str
    to_status: str


@dataclass(frozen=True, kw_only=True)
class ProposalCommented(DomainEvent):
    event_type: ClassVar[str] = "program.proposal_commented"
    program_id: UUID
    comment_id: UUID


@dataclass(frozen=True, kw_only=True)
class ProposalReviewed(DomainEvent):
    event_type: ClassVar[str] = "program.proposal_reviewed"
    program_id: UUID
    review_id: UUID
    verdict: str


# --- enrollments --------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class EnrollmentInvited(DomainEvent):
    event_type: ClassVar[str] = "enrollment.invited"
    program_id: UUID
    invitation_id: UUID
    person_id: UUID


@dataclass(frozen=True, kw_only=True)
class EnrollmentApplied(DomainEvent):
    event_type: ClassVar[str] = "enrollment.applied"
    program_id: UUID
    enrollment_id: UUID
    person_id: UUID


@dataclass(frozen=True, kw_only=True)
class EnrollmentStatusChanged(DomainEvent):
    """approved, ready, matched, completed, withdrawn — one event type, the new status in the body."""

    event_type: ClassVar[str] = "enrollment.status_changed"
    program_id: UUID
    enrollment_id: UUID
    person_id: UUID
    from_status: str
    to_status: str


@dataclass(frozen=True, kw_only=True)
class TrainingCompleted(DomainEvent):
    event_type: ClassVar[str] = "enrollment.training_completed"
    program_id: UUID
    enrollment_id: UUID
    person_id: UUID


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


# --- matching -----------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class MatchingRunFinished(DomainEvent):
    event_type: ClassVar[str] = "matching_run.finished"
    program_id: UUID
    run_id: UUID
    status: str
    pairs: int
    unmatched: int
    quality: float | None


@dataclass(frozen=True, kw_only=True)
class MatchingRunPublished(DomainEvent):
    event_type: ClassVar[str] = "matching_run.published"
    program_id: UUID
    run_id: UUID
    relationships: int


# --- webhooks -----------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class WebhookEndpointDisabled(DomainEvent):
    """The service switched a webhook endpoint off: it answered ``410 Gone`` (``reason: gone``) or
    failed every delivery for five days (``reason: failing``). Delivered to the other endpoints."""

    event_type: ClassVar[str] = "webhook_endpoint.disabled"
    endpoint_id: UUID
    reason: str


def event_types() -> frozenset[str]:
    """Every public event type the service raises (the webhook catalogue)."""
    found: set[str] = set()
    pending: list[type[DomainEvent]] = [DomainEvent]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if "event_type" in vars(cls) and cls is not DomainEvent:
            found.add(cls.event_type)
    return frozenset(found)


# --- feedback -----------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class CheckinDue(RelationshipEvent):
    """A member's check-in on their relationship became due (no content, ever)."""

    event_type: ClassVar[str] = "checkin.due"
    checkin_id: UUID
    person_id: UUID


@dataclass(frozen=True, kw_only=True)
class CheckinSubmitted(RelationshipEvent):
    """A member submitted a check-in; the rating and the answers stay with the coordinators."""

    event_type: ClassVar[str] = "checkin.submitted"
    checkin_id: UUID
    person_id: UUID


@dataclass(frozen=True, kw_only=True)
class CheckinMissed(RelationshipEvent):
    """A due check-in was not submitted in time."""

    event_type: ClassVar[str] = "checkin.missed"
    checkin_id: UUID
    person_id: UUID


@dataclass(frozen=True, kw_only=True)
class SurveyOpened(DomainEvent):
    """A program's anonymous end-of-cycle survey opened to its participants."""

    event_type: ClassVar[str] = "survey.opened"
    program_id: UUID
    survey_id: UUID


@dataclass(frozen=True, kw_only=True)
class SurveyClosed(DomainEvent):
    """A survey closed; its aggregate results (k-anonymous) can now be read. No response travels."""

    event_type: ClassVar[str] = "survey.closed"
    program_id: UUID
    survey_id: UUID


@dataclass(frozen=True, kw_only=True)
class ConcernRaised(DomainEvent):
    """A participant raised a confidential concern with the program's coordinators (ids only: no
    kind, no text, no raiser)."""

    event_type: ClassVar[str] = "concern.raised"
    program_id: UUID
    concern_id: UUID


@dataclass(frozen=True, kw_only=True)
class ConcernResolved(DomainEvent):
    """A coordinator closed a concern (resolved, or a rematch approved or declined)."""

    event_type: ClassVar[str] = "concern.resolved"
    program_id: UUID
    concern_id: UUID
    outcome: str


@dataclass(frozen=True, kw_only=True)
class StoryPublished(DomainEvent):
    """A success story was approved and is readable by every employee."""

    event_type: ClassVar[str] = "story.published"
    program_id: UUID
    story_id: UUID
    author_id: UUID


@dataclass(frozen=True, kw_only=True)
class StoryUnpublished(DomainEvent):
    event_type: ClassVar[str] = "story.unpublished"
    program_id: UUID
    story_id: UUID


@dataclass(frozen=True, kw_only=True)
class StoryDeleted(DomainEvent):
    event_type: ClassVar[str] = "story.deleted"
    program_id: UUID
    story_id: UUID


@dataclass(frozen=True, kw_only=True)
class RecognitionGranted(DomainEvent):
    """A participant was recognised on completion: with the incentive, for HR systems to act on."""

    event_type: ClassVar[str] = "recognition.granted"
    program_id: UUID
    recognition_id: UUID
    person_id: UUID
    incentive: str
    source: str
