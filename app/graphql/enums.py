"""GraphQL enums: the domain's closed sets of values, named in GraphQL's UPPER_CASE convention.

Each member's value is the domain's own string (``MeetingStatus.HELD.value == "held"``), so a value
crosses the door unchanged; ``tests/graphql/test_schema_contract.py`` keeps every enum equal to the
domain set it mirrors.
"""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="Reverse (the junior mentors the senior) or reciprocal (the pair takes turns).")
class ProgramKind(Enum):
    REVERSE = "reverse"
    RECIPROCAL = "reciprocal"


@strawberry.enum(description="A program's lifecycle: draft → enrolling → matching → active → evaluating → closed.")
class ProgramStatus(Enum):
    DRAFT = "draft"
    ENROLLING = "enrolling"
    MATCHING = "matching"
    ACTIVE = "active"
    EVALUATING = "evaluating"
    CLOSED = "closed"


@strawberry.enum
class FocusArea(Enum):
    TECHNOLOGY = "technology"
    INTERGENERATIONAL_UNDERSTANDING = "intergenerational_understanding"
    RETENTION = "retention"
    DIVERSITY_INCLUSION = "diversity_inclusion"
    CULTURE = "culture"
    CUSTOM = "custom"


@strawberry.enum
class ReviewVerdict(Enum):
    ENDORSE = "endorse"
    REQUEST_CHANGES = "request_changes"
    CONCERNS = "concerns"


@strawberry.enum
class SkillCategory(Enum):
    TECHNOLOGY = "technology"
    SOCIAL_MEDIA = "social_media"
    INTERGENERATIONAL = "intergenerational"
    DIVERSITY_INCLUSION = "diversity_inclusion"
    LEADERSHIP = "leadership"
    BUSINESS = "business"
    CUSTOM = "custom"


@strawberry.enum(description="applied → approved → ready (trained when required) → matched → completed | withdrawn.")
class EnrollmentStatus(Enum):
    APPLIED = "applied"
    APPROVED = "approved"
    READY = "ready"
    MATCHED = "matched"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


@strawberry.enum(description="Reverse programs: mentor or mentee. Reciprocal programs: both.")
class RolePreference(Enum):
    MENTOR = "mentor"
    MENTEE = "mentee"
    BOTH = "both"


@strawberry.enum
class MeetingMode(Enum):
    IN_PERSON = "in_person"
    VIDEO = "video"
    CHAT = "chat"
    FORUM = "forum"


@strawberry.enum(description="queued → running → completed (or failed) → published.")
class RunStatus(Enum):
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    PUBLISHED = "published"


@strawberry.enum
class UnmatchedReason(Enum):
    NO_ALLOWED_PARTNER = "no_allowed_partner"
    AT_CAPACITY = "at_capacity"
    NOT_SELECTED = "not_selected"
    ODD_ONE_OUT = "odd_one_out"
    NOT_SOLVED = "not_solved"


@strawberry.enum(description="proposed → active ⇄ paused → completed | ended.")
class RelationshipStatus(Enum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"
    ENDED = "ended"


@strawberry.enum(description="Why a relationship ended early (`DECLINED`: a member declined the proposal).")
class EndReason(Enum):
    MISMATCH = "mismatch"
    REMATCH = "rematch"
    LEFT_ORGANISATION = "left_organisation"
    OTHER = "other"
    DECLINED = "declined"


@strawberry.enum(description="The reasons a coordinator may end a relationship early.")
class EarlyEndReason(Enum):
    MISMATCH = "mismatch"
    REMATCH = "rematch"
    LEFT_ORGANISATION = "left_organisation"
    OTHER = "other"


@strawberry.enum
class RelationshipSource(Enum):
    MATCHING = "matching"
    MANUAL = "manual"


@strawberry.enum(description="Judged at read time from meetings held against the agreed cadence.")
class HealthStatus(Enum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    STALLED = "stalled"
    NOT_JUDGED = "not_judged"


@strawberry.enum
class HealthReason(Enum):
    ON_CADENCE = "on_cadence"
    BEHIND_CADENCE = "behind_cadence"
    MEETING_OVERDUE = "meeting_overdue"
    LOW_CHECKINS = "low_checkins"
    MISSED_CHECKINS = "missed_checkins"
    NO_MEETING_FOR_3_CADENCES = "no_meeting_for_3_cadences"
    NONE_HELD_AFTER_2_CADENCES = "none_held_after_2_cadences"
    PAUSED = "paused"
    NOT_ACTIVE = "not_active"


@strawberry.enum(description="Why a member leads a turn.")
class TurnReasonCode(Enum):
    FIXED_MENTOR = "fixed_mentor"
    ALTERNATE_EVERY_N = "alternate_every_n"
    SENIOR_FIRST_K = "senior_first_k"
    JUNIOR_DECLARED_READY = "junior_declared_ready"
    SENIOR_FIRST_ALTERNATION = "senior_first_alternation"
    PRIMARY = "primary"
    SWAP_ACCEPTED = "swap_accepted"


@strawberry.enum
class SwapStatus(Enum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


@strawberry.enum(description="scheduled → held | cancelled | missed.")
class MeetingStatus(Enum):
    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"
    MISSED = "missed"


@strawberry.enum(description="`EXPERT`: a person to talk to; `MATERIAL`: something to read or watch.")
class ResourceKind(Enum):
    EXPERT = "expert"
    MATERIAL = "material"


@strawberry.enum(description="open → in_progress → achieved | dropped.")
class GoalStatus(Enum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    ACHIEVED = "achieved"
    DROPPED = "dropped"


@strawberry.enum(description="`CROSS`: prefer pairs across departments; `SAME`: within one; `NONE`: no preference.")
class DepartmentPreference(Enum):
    CROSS = "cross"
    SAME = "same"
    NONE = "none"


@strawberry.enum(description="A check-in: due, then submitted or missed.")
class CheckinStatus(Enum):
    DUE = "due"
    SUBMITTED = "submitted"
    MISSED = "missed"


@strawberry.enum(description="A survey question: a 1–5 scale, single or multiple choice, free text.")
class QuestionKind(Enum):
    SCALE = "scale"
    SINGLE = "single"
    MULTIPLE = "multiple"
    TEXT = "text"


@strawberry.enum(description="A survey's lifecycle: draft → open → closed.")
class SurveyStatus(Enum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


@strawberry.enum(description="What a confidential concern is about.")
class ConcernKind(Enum):
    MISMATCH = "mismatch"
    CONDUCT = "conduct"
    WORKLOAD = "workload"
    OTHER = "other"


@strawberry.enum
class ConcernStatus(Enum):
    OPEN = "open"
    CLOSED = "closed"


@strawberry.enum(description="How a coordinator closed a concern.")
class ConcernOutcome(Enum):
    RESOLVED = "resolved"
    REMATCH_APPROVED = "rematch_approved"
    REMATCH_DECLINED = "rematch_declined"


@strawberry.enum(description="A story: awaiting consent → awaiting approval → published ⇄ unpublished; or declined.")
class StoryStatus(Enum):
    AWAITING_CONSENT = "awaiting_consent"
    AWAITING_APPROVAL = "awaiting_approval"
    PUBLISHED = "published"
    UNPUBLISHED = "unpublished"
    DECLINED = "declined"


@strawberry.enum(description="Granted on completion automatically, or by a coordinator.")
class RecognitionSource(Enum):
    AUTOMATIC = "automatic"
    COORDINATOR = "coordinator"


@strawberry.enum(
    description="queued → running → succeeded; a failed attempt → retrying → … → dead (retryable by admins)."
)
class JobState(Enum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    RETRYING = "retrying"
    DEAD = "dead"


@strawberry.enum(description="A webhook message: waiting for an attempt, delivered, or given up (recoverable).")
class WebhookMessageStatus(Enum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


@strawberry.enum(description="What one delivery attempt came to.")
class WebhookAttemptOutcome(Enum):
    SUCCESS = "success"
    HTTP_ERROR = "http_error"
    TIMEOUT = "timeout"
    CONNECTION_ERROR = "connection_error"
    REFUSED = "refused"
