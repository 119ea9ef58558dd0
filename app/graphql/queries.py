"""The query root: everything a front end shows, read through the same use cases as REST's GETs
(so the rules of who may see what live once), nested fields through DataLoaders."""

from __future__ import annotations

import dataclasses
from typing import Annotated
from uuid import UUID

import strawberry
from strawberry.scalars import JSON

from app.domain import jobs as job_domain
from app.domain import programs as program_domain
from app.domain import skills as skill_domain
from app.domain import webhooks as webhook_domain
from app.domain.ports import PeopleFilter, ProgramFilter
from app.graphql.checks import Checks
from app.graphql.connections import Connection, page_request
from app.graphql.context import Info
from app.graphql.described import rules_of
from app.graphql.enums import (
    HealthStatus,
    JobState,
    MeetingStatus,
    ProgramKind,
    ProgramStatus,
    RelationshipStatus,
    SkillCategory,
    WebhookMessageStatus,
)
from app.graphql.resolve import domain_value, domain_values, one, query
from app.graphql.types.access import ApiKey
from app.graphql.types.enrollments import Enrollment
from app.graphql.types.feedback import Checkin, Concern, Recognition, Story, Survey, SurveyResults
from app.graphql.types.goals import Goal
from app.graphql.types.jobs import Job
from app.graphql.types.matching import MatchingRun
from app.graphql.types.meetings import Meeting, Reflection
from app.graphql.types.people import Person, Skill
from app.graphql.types.programs import Program
from app.graphql.types.relationships import Relationship
from app.graphql.types.turns import Turns
from app.graphql.types.webhooks import WebhookEndpoint, WebhookMessage, WebhookSecret
from app.services import (
    api_keys as api_keys_cases,
)
from app.services import (
    checkins as checkins_cases,
)
from app.services import (
    concerns as concerns_cases,
)
from app.services import (
    enrollments as enrollments_cases,
)
from app.services import (
    goals as goals_cases,
)
from app.services import (
    jobs as jobs_cases,
)
from app.services import (
    matching_run_reads as matching_run_reads_cases,
)
from app.services import (
    meetings as meetings_cases,
)
from app.services import (
    metrics as metrics_cases,
)
from app.services import (
    people as people_cases,
)
from app.services import (
    programs as programs_cases,
)
from app.services import (
    relationships as relationships_cases,
)
from app.services import (
    skills as skills_cases,
)
from app.services import (
    stories as stories_cases,
)
from app.services import (
    surveys as surveys_cases,
)
from app.services import (
    turns as turns_cases,
)
from app.services import (
    webhooks as webhooks_cases,
)


@strawberry.type
class Query:
    @strawberry.field(description="The caller's own person record, private attributes included.")
    async def me(self, info: Info) -> Person:
        return Person.of(await query(info, people_cases.me), info.context.actor)

    @strawberry.field(description=rules_of(people_cases.get_person))
    async def person(self, info: Info, id: UUID) -> Person | None:
        found = await one(info, people_cases.get_person, person_id=id)
        return None if found is None else Person.of(found, info.context.actor)

    @strawberry.field(description=rules_of(people_cases.list_people))
    async def people(
        self,
        info: Info,
        department: str | None = None,
        location: str | None = None,
        active: bool | None = None,
        manager_id: UUID | None = None,
        q: Annotated[str | None, strawberry.argument(description="Name or email contains.")] = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Person]:
        checks = Checks("")  # REST's bounds on the same filters
        for name, value in (("department", department), ("location", location), ("q", q)):
            checks.optional_text(name, value, max_length=200)
        checks.done()
        flt = PeopleFilter(department=department, location=location, active=active, manager_id=manager_id, q=q)
        page = await query(info, people_cases.list_people, flt=flt, page=page_request(first, after))
        actor = info.context.actor
        return Connection.of(page, lambda p: Person.of(p, actor), lambda p: p.id)

    @strawberry.field(description=rules_of(api_keys_cases.list_api_keys))
    async def api_keys(self, info: Info, first: int | None = None, after: str | None = None) -> Connection[ApiKey]:
        page = await query(info, api_keys_cases.list_api_keys, page=page_request(first, after))
        return Connection.of(page, ApiKey.of, lambda k: k.id)

    @strawberry.field(description=rules_of(skills_cases.get_skill))
    async def skill(self, info: Info, id: UUID) -> Skill | None:
        found = await one(info, skills_cases.get_skill, skill_id=id)
        return None if found is None else Skill.of(found)

    @strawberry.field(description=rules_of(skills_cases.list_skills))
    async def skills(
        self, info: Info, category: SkillCategory | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[Skill]:
        wanted = None if category is None else skill_domain.SkillCategory(category.value)
        page = await query(info, skills_cases.list_skills, category=wanted, page=page_request(first, after))
        return Connection.of(page, Skill.of, lambda s: s.id)

    @strawberry.field(description=rules_of(jobs_cases.get_job))
    async def job(self, info: Info, id: UUID) -> Job | None:
        found = await one(info, jobs_cases.get_job, job_id=id)
        return None if found is None else Job.of(found)

    @strawberry.field(description=rules_of(jobs_cases.list_jobs))
    async def jobs(
        self,
        info: Info,
        state: JobState | None = None,
        kind: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Job]:
        checks = Checks("")
        checks.optional_text("kind", kind, max_length=100)
        checks.done()
        flt = job_domain.JobFilter(state=None if state is None else job_domain.JobState(state.value), kind=kind)
        page = await query(info, jobs_cases.list_jobs, flt=flt, page=page_request(first, after))
        return Connection.of(page, Job.of, lambda j: j.id)

    @strawberry.field(description=rules_of(webhooks_cases.get_webhook_endpoint))
    async def webhook_endpoint(self, info: Info, id: UUID) -> WebhookEndpoint | None:
        found = await one(info, webhooks_cases.get_webhook_endpoint, endpoint_id=id)
        return None if found is None else WebhookEndpoint.of(found)

    @strawberry.field(description=rules_of(webhooks_cases.get_webhook_endpoint))
    async def webhook_secret(self, info: Info, id: UUID) -> WebhookSecret | None:
        found = await one(info, webhooks_cases.get_webhook_endpoint, endpoint_id=id)
        return None if found is None else WebhookSecret.of(found)

    @strawberry.field(description=rules_of(webhooks_cases.list_webhook_endpoints))
    async def webhook_endpoints(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[WebhookEndpoint]:
        page = await query(info, webhooks_cases.list_webhook_endpoints, page=page_request(first, after))
        return Connection.of(page, WebhookEndpoint.of, lambda e: e.id)

    @strawberry.field(description=rules_of(webhooks_cases.list_webhook_messages))
    async def webhook_messages(
        self,
        info: Info,
        endpoint_id: UUID,
        status: WebhookMessageStatus | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[WebhookMessage]:
        wanted = None if status is None else webhook_domain.MessageStatus(status.value)
        page = await query(
            info,
            webhooks_cases.list_webhook_messages,
            endpoint_id=endpoint_id,
            status=wanted,
            page=page_request(first, after),
        )
        return Connection.of(page, lambda m: WebhookMessage.of(m), lambda m: m.id)

    @strawberry.field(description=rules_of(webhooks_cases.get_webhook_message))
    async def webhook_message(self, info: Info, endpoint_id: UUID, id: UUID) -> WebhookMessage | None:
        found = await one(info, webhooks_cases.get_webhook_message, endpoint_id=endpoint_id, message_id=id)
        return None if found is None else WebhookMessage.of(found.message, found.attempts)

    @strawberry.field(description=rules_of(programs_cases.get_program))
    async def program(self, info: Info, id: UUID) -> Program | None:
        found = await one(info, programs_cases.get_program, program_id=id)
        return None if found is None else Program.of(found)

    @strawberry.field(description=rules_of(programs_cases.list_programs))
    async def programs(
        self,
        info: Info,
        status: ProgramStatus | None = None,
        kind: ProgramKind | None = None,
        coordinator_id: UUID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Program]:
        flt = ProgramFilter(
            status=None if status is None else program_domain.ProgramStatus(status.value),
            kind=None if kind is None else program_domain.ProgramKind(kind.value),
            coordinator_id=coordinator_id,
        )
        page = await query(info, programs_cases.list_programs, flt=flt, page=page_request(first, after))
        return Connection.of(page, Program.of, lambda p: p.id)

    @strawberry.field(description=rules_of(enrollments_cases.get_enrollment))
    async def enrollment(self, info: Info, program_id: UUID, id: UUID) -> Enrollment | None:
        found = await one(info, enrollments_cases.get_enrollment, program_id=program_id, enrollment_id=id)
        return None if found is None else Enrollment.of(found)

    @strawberry.field(description="The caller's own enrollments, in every program.")
    async def my_enrollments(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Enrollment]:
        page = await query(info, enrollments_cases.my_enrollments, page=page_request(first, after))
        return Connection.of(page, Enrollment.of, lambda e: e.id)

    @strawberry.field(description="A matching run: status, progress and figures (the program's staff).")
    async def matching_run(self, info: Info, id: UUID) -> MatchingRun | None:
        found = await one(info, matching_run_reads_cases.get_run, run_id=id)
        return None if found is None else MatchingRun.of(found)

    @strawberry.field(description=rules_of(relationships_cases.get_relationship))
    async def relationship(self, info: Info, id: UUID) -> Relationship | None:
        found = await one(info, relationships_cases.get_relationship, relationship_id=id)
        return None if found is None else Relationship.of(found)

    @strawberry.field(description=rules_of(relationships_cases.list_relationships))
    async def relationships(
        self,
        info: Info,
        program_id: UUID | None = None,
        status: list[RelationshipStatus] | None = None,
        person_id: Annotated[UUID | None, strawberry.argument(description="Relationships this person is in.")] = None,
        health: Annotated[
            HealthStatus | None, strawberry.argument(description="e.g. AT_RISK: who needs help now.")
        ] = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Relationship]:
        page = await query(
            info,
            relationships_cases.list_relationships,
            program_id=program_id,
            statuses=domain_values(status),
            person_id=person_id,
            health=None if health is None else domain_value(health),
            page=page_request(first, after),
        )
        return Connection.of(page, Relationship.of, lambda v: v.relationship.id)

    @strawberry.field(description=rules_of(turns_cases.get_turns))
    async def turns(self, info: Info, relationship_id: UUID) -> Turns | None:
        found = await one(info, turns_cases.get_turns, relationship_id=relationship_id)
        return None if found is None else Turns.of(found)

    @strawberry.field(description=rules_of(meetings_cases.get_meeting))
    async def meeting(self, info: Info, id: UUID) -> Meeting | None:
        found = await one(info, meetings_cases.get_meeting, meeting_id=id)
        return None if found is None else Meeting.of(found)

    @strawberry.field(description=rules_of(meetings_cases.list_meetings))
    async def meetings(
        self,
        info: Info,
        relationship_id: UUID,
        status: list[MeetingStatus] | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Meeting]:
        page = await query(
            info,
            meetings_cases.list_meetings,
            relationship_id=relationship_id,
            statuses=domain_values(status),
            page=page_request(first, after),
        )
        return Connection.of(page, Meeting.of, lambda m: m.id)

    @strawberry.field(description=rules_of(meetings_cases.get_reflection))
    async def my_reflection(self, info: Info, meeting_id: UUID) -> Reflection | None:
        found = await one(info, meetings_cases.get_reflection, meeting_id=meeting_id)
        return None if found is None else Reflection.of(meeting_id, found)

    @strawberry.field(description=rules_of(goals_cases.get_goal))
    async def goal(self, info: Info, id: UUID) -> Goal | None:
        found = await one(info, goals_cases.get_goal, goal_id=id)
        return None if found is None else Goal.of(found)

    @strawberry.field(description=rules_of(goals_cases.list_goals))
    async def goals(
        self, info: Info, relationship_id: UUID, first: int | None = None, after: str | None = None
    ) -> Connection[Goal]:
        page = await query(
            info, goals_cases.list_goals, relationship_id=relationship_id, page=page_request(first, after)
        )
        return Connection.of(page, Goal.of, lambda g: g.id)

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
