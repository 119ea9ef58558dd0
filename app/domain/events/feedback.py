"""Events of feedback: check-ins, surveys, concerns, stories and recognitions (never their content)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from uuid import UUID

from app.domain.events.base import DomainEvent
from app.domain.events.mentoring import RelationshipEvent


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
