"""Check-ins, anonymous surveys and confidential concerns."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import strawberry
from strawberry.scalars import JSON
from strawberry.types.unset import UNSET

from app.domain.surveys import Question
from app.graphql.checks import Checks, camel, given
from app.graphql.context import Info
from app.graphql.described import rules_of
from app.graphql.enums import ConcernKind, ConcernOutcome, QuestionKind
from app.graphql.resolve import domain_value
from app.graphql.results import (
    CheckinResult,
    ConcernResult,
    RecognitionResult,
    StoryDeletedResult,
    StoryResult,
    SurveyReceivedResult,
    SurveyResult,
    mutate,
)
from app.graphql.types.feedback import Checkin, Concern, Recognition, Story, StoryDeleted, Survey, SurveyReceived
from app.services import checkins, concerns, stories, surveys


@strawberry.input
class CheckinInput:
    rating: int = strawberry.field(description="1–5.")
    going_well: str = ""
    not_going_well: str = ""

    def fields(self) -> dict[str, Any]:
        checks = Checks()
        values = {
            "rating": self.rating,
            "going_well": checks.text("goingWell", self.going_well, max_length=5000),
            "not_going_well": checks.text("notGoingWell", self.not_going_well, max_length=5000),
        }
        checks.done()
        return values


@strawberry.input
class QuestionInput:
    key: str
    kind: QuestionKind
    prompt: str
    options: list[str] = strawberry.field(default_factory=list, description="For choice questions: 2–20.")


def _questions(checks: Checks, questions: list[QuestionInput]) -> list[Question]:
    checks.items("questions", questions, max_items=50, min_items=1)
    return [
        Question(
            checks.text(f"questions.{i}.key", q.key, min_length=1, max_length=40),
            domain_value(q.kind),
            checks.text(f"questions.{i}.prompt", q.prompt, min_length=1, max_length=1000),
            tuple(checks.texts(f"questions.{i}.options", q.options, max_items=20, max_length=200)),
        )
        for i, q in enumerate(questions)
    ]


@strawberry.input
class SurveyInput:
    title: str
    questions: list[QuestionInput]
    k: int = strawberry.field(default=5, description="The smallest group any result shows (5–50).")
    opens_at: datetime | None = None
    closes_at: datetime | None = None

    def fields(self) -> dict[str, Any]:
        checks = Checks()
        values = {
            "title": checks.text("title", self.title, min_length=1, max_length=300),
            "questions": _questions(checks, self.questions),
            "k": self.k,
            "opens_at": None if self.opens_at is None else checks.aware("opensAt", self.opens_at),
            "closes_at": None if self.closes_at is None else checks.aware("closesAt", self.closes_at),
        }
        checks.done()
        return values


@strawberry.input(description="Only the fields sent change.")
class SurveyUpdateInput:
    title: str | None = UNSET
    questions: list[QuestionInput] | None = UNSET
    k: int | None = UNSET
    opens_at: datetime | None = UNSET
    closes_at: datetime | None = UNSET

    def changes(self) -> dict[str, Any]:
        checks = Checks()
        for name in ("title", "questions", "k", "opens_at", "closes_at"):
            if given(getattr(self, name)):
                checks.not_null(camel(name), getattr(self, name))
        values: dict[str, Any] = {}
        if isinstance(self.title, str):
            values["title"] = checks.text("title", self.title, min_length=1, max_length=300)
        if isinstance(self.questions, list):
            values["questions"] = _questions(checks, self.questions)
        if isinstance(self.k, int):
            values["k"] = self.k
        for name in ("opens_at", "closes_at"):
            value = getattr(self, name)
            if isinstance(value, datetime):
                values[name] = checks.aware(camel(name), value)
        checks.done()
        return values


@strawberry.input
class ConcernInput:
    program_id: UUID
    kind: ConcernKind
    text: str
    relationship_id: UUID | None = strawberry.field(default=None, description="One of your relationships.")
    rematch: bool = strawberry.field(default=False, description="Ask for another partner (needs relationshipId).")

    def fields(self) -> dict[str, Any]:
        checks = Checks()
        values = {
            "program_id": self.program_id,
            "kind": domain_value(self.kind),
            "text": checks.text("text", self.text, min_length=1, max_length=10000),
            "relationship_id": self.relationship_id,
            "rematch": self.rematch,
        }
        checks.done()
        return values


@strawberry.input
class StoryInput:
    program_id: UUID
    title: str
    text: str
    relationship_id: UUID | None = strawberry.field(default=None, description="One of your relationships.")
    names_partner: bool = strawberry.field(default=False, description="The story names your partner, who consents.")

    def fields(self) -> dict[str, Any]:
        checks = Checks()
        values = {
            "program_id": self.program_id,
            "title": checks.text("title", self.title, min_length=1, max_length=300),
            "text": checks.text("text", self.text, min_length=1, max_length=20000),
            "relationship_id": self.relationship_id,
            "names_partner": self.names_partner,
        }
        checks.done()
        return values


@strawberry.type
class FeedbackMutations:
    @strawberry.mutation(description=rules_of(checkins.submit_checkin))
    async def submit_checkin(self, info: Info, relationship_id: UUID, input: CheckinInput) -> CheckinResult:
        return await mutate(
            info,
            lambda: info.context.run(checkins.submit_checkin, relationship_id=relationship_id, **input.fields()),
            Checkin.of,
        )

    @strawberry.mutation(description=rules_of(surveys.create_survey))
    async def create_survey(self, info: Info, program_id: UUID, input: SurveyInput) -> SurveyResult:
        return await mutate(
            info, lambda: info.context.run(surveys.create_survey, program_id=program_id, **input.fields()), Survey.of
        )

    @strawberry.mutation(description=rules_of(surveys.revise_survey))
    async def revise_survey(
        self, info: Info, id: UUID, input: SurveyUpdateInput, expected_version: int | None = None
    ) -> SurveyResult:
        return await mutate(
            info,
            lambda: info.context.run(
                surveys.revise_survey, survey_id=id, expected_version=expected_version, **input.changes()
            ),
            Survey.of,
        )

    @strawberry.mutation(description=rules_of(surveys.open_survey))
    async def open_survey(self, info: Info, id: UUID, expected_version: int | None = None) -> SurveyResult:
        return await mutate(
            info,
            lambda: info.context.run(surveys.open_survey, survey_id=id, expected_version=expected_version),
            Survey.of,
        )

    @strawberry.mutation(description=rules_of(surveys.close_survey))
    async def close_survey(self, info: Info, id: UUID, expected_version: int | None = None) -> SurveyResult:
        return await mutate(
            info,
            lambda: info.context.run(surveys.close_survey, survey_id=id, expected_version=expected_version),
            Survey.of,
        )

    @strawberry.mutation(description=rules_of(surveys.respond_to_survey))
    async def respond_to_survey(
        self,
        info: Info,
        survey_id: UUID,
        answers: Annotated[JSON, strawberry.argument(description="Question key → answer.")],
    ) -> SurveyReceivedResult:
        async def act() -> None:
            checks = Checks("")
            given_answers: Any = answers
            if not isinstance(given_answers, dict) or len(given_answers) > 50:
                checks.fail("answers", "an object of at most 50 answers")
            checks.done()
            await info.context.run(surveys.respond_to_survey, survey_id=survey_id, answers=given_answers)

        return await mutate(info, act, lambda _: SurveyReceived(received=True))

    @strawberry.mutation(description=rules_of(concerns.raise_concern))
    async def raise_concern(self, info: Info, input: ConcernInput) -> ConcernResult:
        return await mutate(info, lambda: info.context.run(concerns.raise_concern, **input.fields()), Concern.of)

    @strawberry.mutation(description=rules_of(concerns.close_concern))
    async def close_concern(
        self, info: Info, id: UUID, outcome: ConcernOutcome, note: str = "", expected_version: int | None = None
    ) -> ConcernResult:
        async def act() -> Any:
            checks = Checks("")
            written = checks.text("note", note, max_length=10000)
            checks.done()
            return await info.context.run(
                concerns.close_concern,
                concern_id=id,
                outcome=domain_value(outcome),
                note=written,
                expected_version=expected_version,
            )

        return await mutate(info, act, Concern.of)

    @strawberry.mutation(description=rules_of(stories.write_story))
    async def write_story(self, info: Info, input: StoryInput) -> StoryResult:
        return await mutate(info, lambda: info.context.run(stories.write_story, **input.fields()), Story.of)

    @strawberry.mutation(description=rules_of(stories.consent_to_story))
    async def consent_to_story(
        self, info: Info, id: UUID, consent: bool, expected_version: int | None = None
    ) -> StoryResult:
        return await mutate(
            info,
            lambda: info.context.run(
                stories.consent_to_story, story_id=id, consent=consent, expected_version=expected_version
            ),
            Story.of,
        )

    @strawberry.mutation(description=rules_of(stories.publish_story))
    async def publish_story(self, info: Info, id: UUID, expected_version: int | None = None) -> StoryResult:
        return await mutate(
            info,
            lambda: info.context.run(stories.publish_story, story_id=id, expected_version=expected_version),
            Story.of,
        )

    @strawberry.mutation(description=rules_of(stories.unpublish_story))
    async def unpublish_story(self, info: Info, id: UUID, expected_version: int | None = None) -> StoryResult:
        return await mutate(
            info,
            lambda: info.context.run(stories.unpublish_story, story_id=id, expected_version=expected_version),
            Story.of,
        )

    @strawberry.mutation(description=rules_of(stories.delete_story))
    async def delete_story(self, info: Info, id: UUID) -> StoryDeletedResult:
        return await mutate(
            info, lambda: info.context.run(stories.delete_story, story_id=id), lambda _: StoryDeleted(deleted=True)
        )

    @strawberry.mutation(description=rules_of(stories.grant_recognition))
    async def grant_recognition(
        self, info: Info, relationship_id: UUID, person_id: UUID, incentive: str, note: str = ""
    ) -> RecognitionResult:
        async def act() -> Any:
            checks = Checks("")
            given_incentive = checks.text("incentive", incentive, min_length=1, max_length=300)
            written = checks.text("note", note, max_length=2000)
            checks.done()
            return await info.context.run(
                stories.grant_recognition,
                relationship_id=relationship_id,
                person_id=person_id,
                incentive=given_incentive,
                note=written,
            )

        return await mutate(info, act, Recognition.of)
