"""Check-ins, surveys (questions and k-anonymous results — never a response) and concerns."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry
from strawberry.scalars import JSON

from app.domain import checkins as checkin_domain
from app.domain import concerns as concern_domain
from app.domain import stories as story_domain
from app.domain import surveys as survey_domain
from app.graphql.enums import (
    CheckinStatus,
    ConcernKind,
    ConcernOutcome,
    ConcernStatus,
    QuestionKind,
    RecognitionSource,
    StoryStatus,
    SurveyStatus,
)
from app.graphql.types.base import build, enum, maybe_enum
from app.services.surveys import SurveyView


@strawberry.type(
    description="A member's check-in: its author and the program's coordinators read it, never the partner."
)
class Checkin:
    id: UUID
    relationship_id: UUID
    program_id: UUID
    person_id: UUID = strawberry.field(description="The author.")
    status: CheckinStatus
    due_at: datetime | None
    rating: int | None
    going_well: str
    not_going_well: str
    submitted_at: datetime | None
    version: int

    @classmethod
    def of(cls, checkin: checkin_domain.CheckIn) -> Checkin:
        return build(cls, checkin, status=enum(CheckinStatus, checkin.status))


@strawberry.type
class SurveyQuestion:
    key: str
    kind: QuestionKind
    prompt: str
    options: list[str]


@strawberry.type(description="An anonymous survey: its questions and state, never a response.")
class Survey:
    id: UUID
    program_id: UUID
    title: str
    questions: list[SurveyQuestion]
    status: SurveyStatus
    k: int = strawberry.field(description="The smallest group of respondents any result shows.")
    opens_at: datetime | None
    closes_at: datetime | None
    opened_at: datetime | None
    closed_at: datetime | None
    respondents: int | None = strawberry.field(description="How many answered (for the staff); never who.")
    answered_by_me: bool | None = strawberry.field(description="For a participant: whether you answered.")
    version: int

    @classmethod
    def of(cls, view: SurveyView) -> Survey:
        questions = [
            SurveyQuestion(key=q.key, kind=enum(QuestionKind, q.kind), prompt=q.prompt, options=list(q.options))
            for q in view.survey.questions
        ]
        return build(
            cls,
            view.survey,
            status=enum(SurveyStatus, view.survey.status),
            questions=questions,
            respondents=view.respondents,
            answered_by_me=view.answered_by_me,
        )

    @classmethod
    def bare(cls, survey: survey_domain.Survey) -> Survey:
        return cls.of(SurveyView(survey, None, None))


@strawberry.type
class QuestionResult:
    key: str
    kind: QuestionKind
    prompt: str
    answered: int
    counts: JSON | None = strawberry.field(description="Option (or 1–5) → how many chose it.")
    mean: float | None
    texts: list[str] | None = strawberry.field(description="Free text, shuffled; only in the totals.")

    @classmethod
    def of(cls, result: survey_domain.QuestionResult) -> QuestionResult:
        return build(cls, result, kind=enum(QuestionKind, result.kind))


@strawberry.type(description="A breakdown cell the k rules let through.")
class GroupResult:
    dimension: str
    value: str
    respondents: int
    questions: list[QuestionResult]

    @classmethod
    def of(cls, group: survey_domain.GroupResult) -> GroupResult:
        return build(cls, group, questions=[QuestionResult.of(q) for q in group.questions])


@strawberry.type(description="A survey's results: aggregates only, after the close, for groups of at least k.")
class SurveyResults:
    survey_id: UUID
    k: int
    available: bool
    reason: str = strawberry.field(description="`closed`, `survey_not_closed` or `fewer_than_k`.")
    respondents: int | None
    questions: list[QuestionResult]
    groups: list[GroupResult]

    @classmethod
    def of(cls, results: survey_domain.SurveyResults) -> SurveyResults:
        return build(
            cls,
            results,
            questions=[QuestionResult.of(q) for q in results.questions],
            groups=[GroupResult.of(g) for g in results.groups],
        )


@strawberry.type(description="Answers received into the ballot box; nothing links back to them.")
class SurveyReceived:
    received: bool


@strawberry.type(description="A confidential concern: its raiser and the program's coordinators read it.")
class Concern:
    id: UUID
    program_id: UUID
    relationship_id: UUID | None
    raised_by: UUID
    kind: ConcernKind
    text: str
    rematch_requested: bool
    status: ConcernStatus
    outcome: ConcernOutcome | None
    coordinator_note: str
    raised_at: datetime
    resolved_at: datetime | None
    resolved_by: UUID | None
    version: int

    @classmethod
    def of(cls, concern: concern_domain.Concern) -> Concern:
        return build(
            cls,
            concern,
            kind=enum(ConcernKind, concern.kind),
            status=enum(ConcernStatus, concern.status),
            outcome=maybe_enum(ConcernOutcome, concern.outcome),
        )


@strawberry.type(description="A success story: published ones are read by every employee.")
class Story:
    id: UUID
    program_id: UUID
    author_id: UUID
    relationship_id: UUID | None
    partner_id: UUID | None = strawberry.field(description="The partner the story names, if any.")
    title: str
    text: str
    status: StoryStatus
    created_at: datetime
    published_at: datetime | None
    version: int

    @classmethod
    def of(cls, story: story_domain.Story) -> Story:
        return build(cls, story, status=enum(StoryStatus, story.status))


@strawberry.type(description="A participant recognised on completion, with one of the program's incentives.")
class Recognition:
    id: UUID
    program_id: UUID
    person_id: UUID
    relationship_id: UUID
    incentive: str
    source: RecognitionSource
    granted_at: datetime
    granted_by: UUID | None
    note: str
    version: int

    @classmethod
    def of(cls, recognition: story_domain.Recognition) -> Recognition:
        return build(cls, recognition, source=enum(RecognitionSource, recognition.source))


@strawberry.type(description="The story was deleted.")
class StoryDeleted:
    deleted: bool
