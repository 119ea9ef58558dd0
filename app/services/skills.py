"""The skill catalogue."""

from __future__ import annotations

from uuid import UUID

from app.domain import policies
from app.domain.actors import Actor
from app.domain.errors import conflict, invalid, not_found
from app.domain.ports import Page, PageRequest, UnitOfWork
from app.domain.skills import Skill, SkillCategory


async def create_skill(
    uow: UnitOfWork, actor: Actor, *, name: str, category: SkillCategory, description: str | None
) -> Skill:
    """Add a skill people can offer or want.

    - admins and HR staff (the coordinator role);
    - names are unique regardless of case and spacing.
    """
    policies.require(policies.can_manage_skills(actor), "skills_admin_only", "Only admins and HR staff add skills.")
    name = Skill.normalise_name(name)
    if not name:
        raise invalid("skill_name_required", "A skill needs a name.", path="name")
    async with uow:
        if await uow.skills.by_name(name) is not None:
            raise conflict("skill_exists", f"The catalogue already has {name!r}.")
        skill = Skill(
            id=uow.ids.new_id(), name=name, category=category, description=description, created_at=uow.clock.now()
        )
        uow.skills.add(skill)
        await uow.commit()
        return skill


async def get_skill(uow: UnitOfWork, actor: Actor, *, skill_id: UUID) -> Skill:
    """Read one skill of the catalogue; every employee may."""
    async with uow:
        skill = await uow.queries.skill(skill_id)
        if skill is None:
            raise not_found("skill", skill_id)
        return skill


async def list_skills(
    uow: UnitOfWork, actor: Actor, *, category: SkillCategory | None, page: PageRequest
) -> Page[Skill]:
    """Everyone may read the catalogue: it is what enrolment forms offer."""
    async with uow:
        return await uow.queries.skills(category, page)
