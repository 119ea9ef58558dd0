"""Mutation results: the changed thing, or the typed problem that stopped the change.

Each mutation runs one use case of ``app.services`` — the very function REST's route calls — in a
savepoint of the request's transaction: a refused mutation undoes only itself, and the mutations
before it in the same request still commit.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import strawberry
import structlog
from sqlalchemy.exc import IntegrityError

from app.domain.errors import DomainError
from app.graphql.context import Info
from app.graphql.errors import (
    AnyProblem,
    Conflict,
    Forbidden,
    IllegalTransition,
    Invalid,
    NotFound,
    StaleVersion,
    problem_of,
)
from app.graphql.types.access import ApiKey, NewApiKey
from app.graphql.types.enrollments import Enrollment
from app.graphql.types.feedback import Checkin, Concern, Recognition, Story, StoryDeleted, Survey, SurveyReceived
from app.graphql.types.goals import Goal
from app.graphql.types.jobs import Job
from app.graphql.types.matching import MatchingRun
from app.graphql.types.meetings import Meeting, Reflection
from app.graphql.types.people import CalendarFeed, Person, Skill, UpsertOutcome
from app.graphql.types.programs import CommitteeReview, Invitation, Program, ProposalComment
from app.graphql.types.relationships import Relationship
from app.graphql.types.turns import Turns

T = TypeVar("T")
R = TypeVar("R")
log = structlog.get_logger("turnabout.graphql")


async def mutate(info: Info, act: Callable[[], Awaitable[T]], present: Callable[[T], R]) -> R | AnyProblem:
    """Run ``act`` (input checks, then one use case); a broken rule becomes a typed problem."""
    try:
        done = await act()
    except DomainError as error:
        return problem_of(error)
    except IntegrityError as error:
        # The rules check uniqueness first; this is the rare race of two writers (as REST says).
        log.warning("integrity_conflict", error=type(error.orig).__name__)
        return Conflict(
            code="conflicts_with_existing_data",
            message="The change collides with data saved meanwhile (e.g. a duplicate); nothing was changed.",
        )
    finally:
        info.context.changed()
    return present(done)


@strawberry.type(description="Your calendar feed URL no longer works; create a new one any time.")
class CalendarFeedRevoked:
    revoked: bool


ProgramResult = Annotated[
    Program | NotFound | Forbidden | StaleVersion | IllegalTransition | Conflict | Invalid,
    strawberry.union("ProgramResult"),
]
CommentResult = Annotated[
    ProposalComment | NotFound | Forbidden | StaleVersion | IllegalTransition | Conflict | Invalid,
    strawberry.union("CommentResult"),
]
ReviewResult = Annotated[
    CommitteeReview | NotFound | Forbidden | StaleVersion | IllegalTransition | Conflict | Invalid,
    strawberry.union("ReviewResult"),
]
InvitationResult = Annotated[
    Invitation | NotFound | Forbidden | StaleVersion | IllegalTransition | Conflict | Invalid,
    strawberry.union("InvitationResult"),
]
EnrollmentResult = Annotated[
    Enrollment | NotFound | Forbidden | StaleVersion | IllegalTransition | Conflict | Invalid,
    strawberry.union("EnrollmentResult"),
]
MatchingRunResult = Annotated[
    MatchingRun | NotFound | Forbidden | StaleVersion | IllegalTransition | Conflict | Invalid,
    strawberry.union("MatchingRunResult"),
]
RelationshipResult = Annotated[
    Relationship | NotFound | Forbidden | StaleVersion | IllegalTransition | Conflict | Invalid,
    strawberry.union("RelationshipResult"),
]
TurnsResult = Annotated[
    Turns | NotFound | Forbidden | StaleVersion | IllegalTransition | Conflict | Invalid,
    strawberry.union("TurnsResult"),
]
MeetingResult = Annotated[
    Meeting | NotFound | Forbidden | StaleVersion | IllegalTransition | Conflict | Invalid,
    strawberry.union("MeetingResult"),
]
ReflectionResult = Annotated[
    Reflection | NotFound | Forbidden | StaleVersion | IllegalTransition | Conflict | Invalid,
    strawberry.union("ReflectionResult"),
]
GoalResult = Annotated[
    Goal | NotFound | Forbidden | StaleVersion | IllegalTransition | Conflict | Invalid,
    strawberry.union("GoalResult"),
]
PersonResult = Annotated[
    Person | NotFound | Forbidden | StaleVersion | IllegalTransition | Conflict | Invalid,
    strawberry.union("PersonResult"),
]
UpsertResult = Annotated[
    UpsertOutcome | NotFound | Forbidden | StaleVersion | IllegalTransition | Conflict | Invalid,
    strawberry.union("UpsertResult"),
]
SkillResult = Annotated[
    Skill | NotFound | Forbidden | StaleVersion | IllegalTransition | Conflict | Invalid,
    strawberry.union("SkillResult"),
]
NewApiKeyResult = Annotated[
    NewApiKey | NotFound | Forbidden | StaleVersion | IllegalTransition | Conflict | Invalid,
    strawberry.union("NewApiKeyResult"),
]
ApiKeyResult = Annotated[
    ApiKey | NotFound | Forbidden | StaleVersion | IllegalTransition | Conflict | Invalid,
    strawberry.union("ApiKeyResult"),
]
CalendarFeedResult = Annotated[
    CalendarFeed | NotFound | Forbidden | StaleVersion | IllegalTransition | Conflict | Invalid,
    strawberry.union("CalendarFeedResult"),
]
CalendarFeedRevokedResult = Annotated[
    CalendarFeedRevoked | NotFound | Forbidden | StaleVersion | IllegalTransition | Conflict | Invalid,
    strawberry.union("CalendarFeedRevokedResult"),
]
CheckinResult = Annotated[
    Checkin | NotFound | Forbidden | StaleVersion | IllegalTransition | Conflict | Invalid,
    strawberry.union("CheckinResult"),
]
SurveyResult = Annotated[
    Survey | NotFound | Forbidden | StaleVersion | IllegalTransition | Conflict | Invalid,
    strawberry.union("SurveyResult"),
]
SurveyReceivedResult = Annotated[
    SurveyReceived | NotFound | Forbidden | StaleVersion | IllegalTransition | Conflict | Invalid,
    strawberry.union("SurveyReceivedResult"),
]
ConcernResult = Annotated[
    Concern | NotFound | Forbidden | StaleVersion | IllegalTransition | Conflict | Invalid,
    strawberry.union("ConcernResult"),
]
StoryResult = Annotated[
    Story | NotFound | Forbidden | StaleVersion | IllegalTransition | Conflict | Invalid,
    strawberry.union("StoryResult"),
]
StoryDeletedResult = Annotated[
    StoryDeleted | NotFound | Forbidden | StaleVersion | IllegalTransition | Conflict | Invalid,
    strawberry.union("StoryDeletedResult"),
]
RecognitionResult = Annotated[
    Recognition | NotFound | Forbidden | StaleVersion | IllegalTransition | Conflict | Invalid,
    strawberry.union("RecognitionResult"),
]
JobResult = Annotated[
    Job | NotFound | Forbidden | StaleVersion | IllegalTransition | Conflict | Invalid,
    strawberry.union("JobResult"),
]
