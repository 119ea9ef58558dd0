"""People and skills as screens see them."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import select

from app.adapters.persistence.queries.base import Reads, chunks
from app.adapters.persistence.queries.filters import people, people_matching, skills, skills_matching
from app.adapters.persistence.queries.visibility import person_visible
from app.adapters.persistence.repositories.people import SqlPeopleRepository
from app.adapters.persistence.repositories.skills import SqlSkillRepository
from app.domain.actors import Actor
from app.domain.people import Person
from app.domain.ports import Page, PageRequest, PeopleFilter
from app.domain.skills import Skill, SkillCategory


class DirectoryReads(Reads):
    async def person(self, actor: Actor, person_id: UUID) -> Person | None:
        rows = await self.rows(select(people).where(people.c.id == person_id, person_visible(actor, people.c.id)))
        return SqlPeopleRepository(self.session).from_row(rows[0]) if rows else None

    async def people_by_ids(self, actor: Actor, ids: Sequence[UUID]) -> dict[UUID, Person]:
        mapper = SqlPeopleRepository(self.session)
        found: dict[UUID, Person] = {}
        for chunk in chunks(ids):
            stmt = select(people).where(people.c.id.in_(chunk), person_visible(actor, people.c.id))
            for row in await self.rows(stmt):
                person = mapper.from_row(row)
                found[person.id] = person
        return found

    async def people(self, flt: PeopleFilter, page: PageRequest) -> Page[Person]:
        _, result = await self.page(people_matching(flt), people.c.id, page, SqlPeopleRepository(self.session).from_row)
        return result

    async def skill(self, skill_id: UUID) -> Skill | None:
        rows = await self.rows(select(skills).where(skills.c.id == skill_id))
        return SqlSkillRepository(self.session).from_row(rows[0]) if rows else None

    async def skills_by_ids(self, ids: Sequence[UUID]) -> dict[UUID, Skill]:
        mapper = SqlSkillRepository(self.session)
        found: dict[UUID, Skill] = {}
        for chunk in chunks(ids):
            for row in await self.rows(select(skills).where(skills.c.id.in_(chunk))):
                skill = mapper.from_row(row)
                found[skill.id] = skill
        return found

    async def skills(self, category: SkillCategory | None, page: PageRequest) -> Page[Skill]:
        _, result = await self.page(
            skills_matching(category), skills.c.id, page, SqlSkillRepository(self.session).from_row
        )
        return result
