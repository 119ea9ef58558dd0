"""Feedback and results: check-ins, surveys, concerns, stories, recognitions, metrics."""

from __future__ import annotations

import dataclasses
from uuid import UUID

import strawberry
from strawberry.scalars import JSON

from app.graphql.connections import Connection, page_request
from app.graphql.context import Info
from app.graphql.described import rules_of
from app.graphql.resolve import one, query
from app.graphql.types.feedback import Checkin, Concern, Recognition, Story, Survey, SurveyResults
from app.services import (
    checkins as checkins_cases,
)
from app.services import (
    concerns as concerns_cases,
)
from app.services import (
    metrics as metrics_cases,
)
from app.services import (
    stories as stories_cases,
)
from app.services import (
    surveys as surveys_cases,
)


@strawberry.type
class FeedbackQueries:
    @strawberry.field(description=rules_of(checkins_cases.get_checkin))
    async def checkin(self, info: Info, id: UUID) -> Checkin | None:
        found = await one(info, checkins_cases.get_checkin, checkin_id=id)
        return None if found is None else Checkin.of(found)

    @strawberry.field(description=rules_of(checkins_cases.list_checkins))
    async def checkins(
        self,
        info: Info,
        program_id: UUID | None = None,
        relationship_id: UUID | None = None,
        person_id: UUID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Checkin]:
        page = await query(
            info,
            checkins_cases.list_checkins,
            program_id=program_id,
            relationship_id=relationship_id,
            person_id=person_id,
            page=page_request(first, after),
        )
        return Connection.of(page, Checkin.of, lambda c: c.id)

    @strawberry.field(description=rules_of(surveys_cases.get_survey))
    async def survey(self, info: Info, id: UUID) -> Survey | None:
        found = await one(info, surveys_cases.get_survey, survey_id=id)
        return None if found is None else Survey.of(found)

    @strawberry.field(description=rules_of(surveys_cases.list_surveys))
    async def surveys(
        self, info: Info, program_id: UUID, first: int | None = None, after: str | None = None
    ) -> Connection[Survey]:
        page = await query(info, surveys_cases.list_surveys, program_id=program_id, page=page_request(first, after))
        return Connection.of(page, Survey.bare, lambda s: s.id)

    @strawberry.field(description=rules_of(surveys_cases.survey_results))
    async def survey_results(self, info: Info, survey_id: UUID) -> SurveyResults | None:
        found = await one(info, surveys_cases.survey_results, survey_id=survey_id)
        return None if found is None else SurveyResults.of(found)

    @strawberry.field(description=rules_of(concerns_cases.get_concern))
    async def concern(self, info: Info, id: UUID) -> Concern | None:
        found = await one(info, concerns_cases.get_concern, concern_id=id)
        return None if found is None else Concern.of(found)

    @strawberry.field(description=rules_of(concerns_cases.list_concerns))
    async def concerns(
        self, info: Info, program_id: UUID | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[Concern]:
        page = await query(info, concerns_cases.list_concerns, program_id=program_id, page=page_request(first, after))
        return Connection.of(page, Concern.of, lambda c: c.id)

    @strawberry.field(description=rules_of(stories_cases.get_story))
    async def story(self, info: Info, id: UUID) -> Story | None:
        found = await one(info, stories_cases.get_story, story_id=id)
        return None if found is None else Story.of(found)

    @strawberry.field(description=rules_of(stories_cases.list_stories))
    async def stories(
        self, info: Info, program_id: UUID | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[Story]:
        page = await query(info, stories_cases.list_stories, program_id=program_id, page=page_request(first, after))
        return Connection.of(page, Story.of, lambda s: s.id)

    @strawberry.field(description=rules_of(stories_cases.list_recognitions))
    async def recognitions(
        self,
        info: Info,
        program_id: UUID | None = None,
        person_id: UUID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Recognition]:
        page = await query(
            info,
            stories_cases.list_recognitions,
            program_id=program_id,
            person_id=person_id,
            page=page_request(first, after),
        )
        return Connection.of(page, Recognition.of, lambda r: r.id)

    @strawberry.field(description=rules_of(metrics_cases.program_metrics))
    async def program_metrics(self, info: Info, program_id: UUID) -> JSON:
        found = await query(info, metrics_cases.program_metrics, program_id=program_id)
        shown: JSON = dataclasses.asdict(found)  # type: ignore[assignment]
        return shown

    @strawberry.field(description=rules_of(metrics_cases.organisation_metrics))
    async def organisation_metrics(self, info: Info) -> JSON:
        found = await query(info, metrics_cases.organisation_metrics)
        shown: JSON = dataclasses.asdict(found)  # type: ignore[assignment]
        return shown
