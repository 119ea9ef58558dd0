from __future__ import annotations

from uuid import UUID

from fastapi.responses import JSONResponse

from app.api.deps import ActorDep, UowDep
from app.api.idempotency import IdempotencyDep
from app.api.pagination import PageDep, encode_cursor
from app.api.problems import problem_responses
from app.api.responses import ETAG_HEADER, resource
from app.api.routing import api_router
from app.api.schemas.skills import SkillCreate, SkillList, SkillOut
from app.domain.skills import SkillCategory
from app.services import skills as service

router = api_router(tags=["skills"])


@router.post(
    "/skills",
    status_code=201,
    response_model=SkillOut,
    summary="Add a skill to the catalogue",
    description=service.create_skill.__doc__,
    responses={201: {"headers": ETAG_HEADER}, **problem_responses(401, 403, 409, 422)},
)
async def create_skill(body: SkillCreate, actor: ActorDep, uow: UowDep, idempotency: IdempotencyDep) -> JSONResponse:
    async def create() -> JSONResponse:
        skill = await service.create_skill(
            uow, actor, name=body.name, category=body.category, description=body.description
        )
        return resource(
            SkillOut.model_validate(skill), version=skill.version, status=201, location=f"/api/v1/skills/{skill.id}"
        )

    return await idempotency.run(body.model_dump(mode="json"), create)


@router.get(
    "/skills",
    response_model=SkillList,
    summary="List the skill catalogue",
    description=service.list_skills.__doc__,
    responses=problem_responses(401, 422),
)
async def list_skills(actor: ActorDep, uow: UowDep, page: PageDep, category: SkillCategory | None = None) -> SkillList:
    result = await service.list_skills(uow, actor, category=category, page=page)
    return SkillList(
        items=[SkillOut.model_validate(s) for s in result.items], next_cursor=encode_cursor(result.next_after)
    )


@router.get(
    "/skills/{skill_id}",
    response_model=SkillOut,
    summary="Get a skill",
    description=service.get_skill.__doc__,
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(401, 404)},
)
async def get_skill(skill_id: UUID, actor: ActorDep, uow: UowDep) -> JSONResponse:
    skill = await service.get_skill(uow, actor, skill_id=skill_id)
    return resource(SkillOut.model_validate(skill), version=skill.version)
