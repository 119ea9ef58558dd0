from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field

from app.api.bounds import within
from app.api.schemas.base import Input, Output, PatchInput
from app.api.schemas.enums import (
    CheckinStatus,
    ConcernKind,
    ConcernOutcome,
    ConcernStatus,
    QuestionKind,
    SurveyStatus,
)
from app.domain.checkins import CHECKIN_RATING, CHECKIN_TEXT_MAX, CheckIn
from app.domain.concerns import CONCERN_TEXT_MAX, Concern
from app.domain.surveys import SURVEY_K, GroupResult, Question, QuestionResult, SurveyResults
from app.services.surveys import SurveyView


# --- check-ins ----------------------------------------------------------------------------------
class CheckinIn(Input):
    rating: Annotated[int, within(CHECKIN_RATING)]
    going_well: Annotated[str, Field(max_length=CHECKIN_TEXT_MAX, examples=["We meet every fortnight."])] = ""
    not_going_well: Annotated[str, Field(max_length=CHECKIN_TEXT_MAX)] = ""


class CheckinOut(Output):
    id: UUID
    relationship_id: UUID
    program_id: UUID
    person_id: UUID = Field(description="The author.")
    status: CheckinStatus
    due_at: datetime | None = Field(description="When it became due; null for one given unprompted.")
    rating: int | None
    going_well: str
    not_going_well: str
    submitted_at: datetime | None
    version: int

    @classmethod
    def of(cls, checkin: CheckIn) -> CheckinOut:
        return cls(**{name: getattr(checkin, name) for name in cls.model_fields})


class CheckinList(Output):
    items: list[CheckinOut]
    next_cursor: str | None


# --- surveys ------------------------------------------------------------------------------------
class QuestionIn(Input):
    key: Annotated[str, Field(min_length=1, max_length=40, examples=["learned"])]
    kind: QuestionKind
    prompt: Annotated[str, Field(min_length=1, max_length=1000, examples=["What did you learn?"])]
    options: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=200)]], Field(default_factory=list, max_length=20)
    ]

    def question(self) -> Question:
        return Question(self.key, self.kind, self.prompt, tuple(self.options))


class QuestionOut(Output):
    key: str
    kind: QuestionKind
    prompt: str
    options: list[str]


class SurveyCreate(Input):
    title: Annotated[str, Field(min_length=1, max_length=300, examples=["End of cycle"])]
    questions: Annotated[list[QuestionIn], Field(min_length=1, max_length=50)]
    k: Annotated[int, within(SURVEY_K)] = 5
    opens_at: datetime | None = Field(default=None, description="Open on schedule at this time.")
    closes_at: datetime | None = Field(default=None, description="Close on schedule at this time.")


class SurveyUpdate(PatchInput):
    title: Annotated[str | None, Field(default=None, min_length=1, max_length=300)] = None
    questions: Annotated[list[QuestionIn] | None, Field(default=None, min_length=1, max_length=50)] = None
    k: Annotated[int | None, within(SURVEY_K)] = None
    opens_at: datetime | None = None
    closes_at: datetime | None = None


class SurveyOut(Output):
    id: UUID
    program_id: UUID
    title: str
    questions: list[QuestionOut]
    status: SurveyStatus
    k: int = Field(description="The smallest group of respondents any result shows.")
    opens_at: datetime | None
    closes_at: datetime | None
    opened_at: datetime | None
    closed_at: datetime | None
    respondents: int | None = Field(description="How many answered (for the staff); never who.")
    answered_by_me: bool | None = Field(description="For a participant: whether you answered.")
    version: int

    @classmethod
    def of(cls, view: SurveyView) -> SurveyOut:
        s = view.survey
        return cls(
            id=s.id,
            program_id=s.program_id,
            title=s.title,
            questions=[QuestionOut(**q.as_dict()) for q in s.questions],
            status=s.status,
            k=s.k,
            opens_at=s.opens_at,
            closes_at=s.closes_at,
            opened_at=s.opened_at,
            closed_at=s.closed_at,
            respondents=view.respondents,
            answered_by_me=view.answered_by_me,
            version=s.version,
        )


class SurveyList(Output):
    items: list[SurveyOut]
    next_cursor: str | None


class SurveyAnswers(Input):
    answers: Annotated[
        dict[str, Any],
        Field(
            max_length=50,
            description="Question key → answer: 1–5 (scale), an option (single), a list of options "
            "(multiple), a text (up to 5,000 characters).",
            examples=[{"learned": "How the team uses chat", "stereotypes": 4}],
        ),
    ]


class SurveyReceived(Output):
    received: bool = Field(description="Your answers are in the ballot box. No receipt links back to them.")


class QuestionResultOut(Output):
    key: str
    kind: QuestionKind
    prompt: str
    answered: int
    counts: dict[str, int] | None
    mean: float | None
    texts: list[str] | None = Field(description="Free text, shuffled; only in the totals.")

    @classmethod
    def of(cls, result: QuestionResult) -> QuestionResultOut:
        return cls(**{name: getattr(result, name) for name in cls.model_fields})


class GroupResultOut(Output):
    dimension: str = Field(description="`role`, `department` or `generation`.")
    value: str
    respondents: int
    questions: list[QuestionResultOut]

    @classmethod
    def of(cls, group: GroupResult) -> GroupResultOut:
        return cls(
            dimension=group.dimension,
            value=group.value,
            respondents=group.respondents,
            questions=[QuestionResultOut.of(q) for q in group.questions],
        )


class SurveyResultsOut(Output):
    survey_id: UUID
    k: int
    available: bool
    reason: str = Field(description="`closed`, `survey_not_closed` or `fewer_than_k`.")
    respondents: int | None
    questions: list[QuestionResultOut]
    groups: list[GroupResultOut] = Field(description="Only the breakdown cells the k rules let through.")

    @classmethod
    def of(cls, results: SurveyResults) -> SurveyResultsOut:
        return cls(
            survey_id=results.survey_id,
            k=results.k,
            available=results.available,
            reason=results.reason,
            respondents=results.respondents,
            questions=[QuestionResultOut.of(q) for q in results.questions],
            groups=[GroupResultOut.of(g) for g in results.groups],
        )


# --- concerns -----------------------------------------------------------------------------------
class ConcernCreate(Input):
    program_id: UUID
    kind: ConcernKind
    text: Annotated[str, Field(min_length=1, max_length=CONCERN_TEXT_MAX)]
    relationship_id: UUID | None = Field(default=None, description="One of your relationships in the program.")
    rematch: bool = Field(default=False, description="Ask for another partner (needs `relationship_id`).")


class ConcernClose(Input):
    outcome: ConcernOutcome
    note: Annotated[str, Field(max_length=CONCERN_TEXT_MAX)] = ""


class ConcernOut(Output):
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
    def of(cls, concern: Concern) -> ConcernOut:
        return cls(**{name: getattr(concern, name) for name in cls.model_fields})


class ConcernList(Output):
    items: list[ConcernOut]
    next_cursor: str | None
