"""SQLModel tables. Importing this package registers every table on ``metadata``."""

from app.adapters.persistence.tables.base import metadata
from app.adapters.persistence.tables.directory import IdentityRow, PersonRow, SkillRow
from app.adapters.persistence.tables.enrollments import EnrollmentRow
from app.adapters.persistence.tables.feedback import (
    CheckinRow,
    ConcernRow,
    RecognitionRow,
    StoryRow,
    SurveyBallotRow,
    SurveyLedgerRow,
    SurveyResponseRow,
    SurveyRow,
)
from app.adapters.persistence.tables.goals import GoalProgressRow, LearningGoalRow
from app.adapters.persistence.tables.jobs import JobRow, JobScheduleRow
from app.adapters.persistence.tables.matching import MatchingProposalRow, MatchingRunRow, MatchingUnmatchedRow
from app.adapters.persistence.tables.meetings import CalendarFeedRow, MeetingResourceRow, MeetingRow, ReflectionRow
from app.adapters.persistence.tables.platform import ApiKeyRow, IdempotencyRow, OutboxRow
from app.adapters.persistence.tables.programs import (
    CommitteeReviewRow,
    InvitationRow,
    ObjectiveRow,
    ProgramRow,
    ProgramStaffRow,
    ProposalCommentRow,
)
from app.adapters.persistence.tables.relationships import PairExclusionRow, RelationshipRow, TurnSwapRow
from app.adapters.persistence.tables.webhooks import WebhookAttemptRow, WebhookEndpointRow, WebhookMessageRow

__all__ = [
    "ApiKeyRow",
    "CalendarFeedRow",
    "CheckinRow",
    "CommitteeReviewRow",
    "ConcernRow",
    "EnrollmentRow",
    "GoalProgressRow",
    "IdempotencyRow",
    "IdentityRow",
    "InvitationRow",
    "JobRow",
    "JobScheduleRow",
    "LearningGoalRow",
    "MatchingProposalRow",
    "MatchingRunRow",
    "MatchingUnmatchedRow",
    "MeetingResourceRow",
    "MeetingRow",
    "ObjectiveRow",
    "OutboxRow",
    "PairExclusionRow",
    "PersonRow",
    "ProgramRow",
    "ProgramStaffRow",
    "ProposalCommentRow",
    "RecognitionRow",
    "ReflectionRow",
    "RelationshipRow",
    "SkillRow",
    "StoryRow",
    "SurveyBallotRow",
    "SurveyLedgerRow",
    "SurveyResponseRow",
    "SurveyRow",
    "TurnSwapRow",
    "WebhookAttemptRow",
    "WebhookEndpointRow",
    "WebhookMessageRow",
    "metadata",
]
