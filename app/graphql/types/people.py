"""People and the skill catalogue."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import strawberry

from app.domain import people as domain
from app.domain import policies
from app.domain import skills as skill_domain
from app.domain.actors import Actor
from app.graphql.context import Info
from app.graphql.enums import SkillCategory
from app.graphql.types.base import build, enum


@strawberry.type(description="One self-identified attribute (used for matching only with consent).")
class PersonAttribute:
    name: str
    value: str


@strawberry.type(description="An employee, as the directory (the HRIS) knows them.")
class Person:
    id: UUID
    external_id: str | None
    email: str
    given_name: str
    family_name: str
    display_name: str
    department: str | None
    location: str | None
    job_title: str | None
    seniority: int = strawberry.field(description="Grade in the organisation; higher is more senior.")
    manager_id: UUID | None
    hire_date: date | None
    generation: str | None
    active: bool
    deactivated_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int = strawberry.field(description="Send it back as `expectedVersion` to avoid lost updates.")
    attributes: list[PersonAttribute] | None = strawberry.field(
        description="Self-identified attributes; shown only to the person themself."
    )
    matching_consent: bool | None = strawberry.field(description="Shown only to the person themself.")

    @strawberry.field(description="The reporting line's next step up, when the caller may see them.")
    async def manager(self, info: Info) -> Annotated[Person, strawberry.lazy("app.graphql.types.people")] | None:
        if self.manager_id is None:
            return None
        found = await info.context.loaders.person.load(self.manager_id)
        return None if found is None else Person.of(found, info.context.actor)

    @classmethod
    def of(cls, person: domain.Person, actor: Actor) -> Person:
        private = policies.can_read_private_attributes(actor, person.id)
        attributes = [PersonAttribute(name=k, value=v) for k, v in sorted(person.attributes.items())]
        return build(
            cls,
            person,
            attributes=attributes if private else None,
            matching_consent=person.matching_consent if private else None,
        )


@strawberry.type(description="A skill people offer and want, from the organisation's catalogue.")
class Skill:
    id: UUID
    name: str
    category: SkillCategory
    description: str | None
    created_at: datetime
    version: int

    @classmethod
    def of(cls, skill: skill_domain.Skill) -> Skill:
        return build(cls, skill, category=enum(SkillCategory, skill.category))


@strawberry.type(description="What an HRIS upsert did, person by person.")
class UpsertOutcome:
    created: list[UUID]
    updated: list[UUID]
    unchanged: list[UUID]
    deactivated: list[UUID]


@strawberry.type(description="Your secret calendar URL, shown once: keep it like a password.")
class CalendarFeed:
    token: str
    url: str
