"""People, their skills and the caller's API keys."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import strawberry

from app.domain import skills as skill_domain
from app.domain.ports import PeopleFilter
from app.graphql.checks import Checks
from app.graphql.connections import Connection, page_request
from app.graphql.context import Info
from app.graphql.described import rules_of
from app.graphql.enums import (
    SkillCategory,
)
from app.graphql.resolve import one, query
from app.graphql.types.access import ApiKey
from app.graphql.types.people import Person, Skill
from app.services import (
    api_keys as api_keys_cases,
)
from app.services import (
    people as people_cases,
)
from app.services import (
    skills as skills_cases,
)


@strawberry.type
class PeopleQueries:
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
