"""API keys of integrations, and a person's sign-in identities: admin tools for access."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import Query, Response
from pydantic import AwareDatetime, ConfigDict, Field

from app.api.deps import ActorDep, UowDep
from app.api.pagination import PageDep, encode_cursor
from app.api.problems import problem_responses
from app.api.routing import api_router
from app.api.schemas.base import Input, Output
from app.domain.actors import SCOPE_MEANINGS, Scope
from app.domain.api_keys import ApiKey
from app.services import api_keys as service
from app.services import identities

router = api_router(tags=["access"])
_SCOPES = "; ".join(f"`{scope.value}`: {meaning}" for scope, meaning in SCOPE_MEANINGS.items())


class ApiKeyCreate(Input):
    name: str = Field(max_length=120, description="What the key is for (`HRIS nightly sync`).")
    scopes: list[Scope] = Field(min_length=1, max_length=len(Scope), description=f"What it may do. {_SCOPES}")
    expires_at: AwareDatetime | None = Field(default=None, description="When it stops working (optional).")

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"name": "HRIS nightly sync", "scopes": ["people:write"]}]}
    )


class ApiKeyOut(Output):
    id: UUID
    name: str
    prefix: str = Field(description="The key's public part: `tb_<prefix>_…` identifies it in lists and logs.")
    scopes: list[str]
    created_by: UUID | None
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None = Field(description="Written at most once a minute.")

    @classmethod
    def of(cls, key: ApiKey) -> ApiKeyOut:
        return cls(**{**vars(key), "scopes": list(key.scopes)})


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="The key itself, shown this once and stored nowhere: keep it in a secret store.")


class ApiKeyList(Output):
    items: list[ApiKeyOut]
    next_cursor: str | None


class IdentityOut(Output):
    issuer: str
    subject: str
    person_id: UUID
    created_at: datetime


class IdentityList(Output):
    items: list[IdentityOut]


@router.post(
    "/api-keys",
    status_code=201,
    response_model=ApiKeyCreated,
    summary="Create an API key for an integration",
    description=service.create_api_key.__doc__,
    responses=problem_responses(401, 403, 422),
)
async def create_api_key(body: ApiKeyCreate, actor: ActorDep, uow: UowDep) -> ApiKeyCreated:
    key, secret = await service.create_api_key(
        uow, actor, name=body.name, scopes=[s.value for s in body.scopes], expires_at=body.expires_at
    )
    return ApiKeyCreated(**ApiKeyOut.of(key).model_dump(), key=secret)


@router.get(
    "/api-keys",
    response_model=ApiKeyList,
    summary="List API keys",
    description=service.list_api_keys.__doc__,
    responses=problem_responses(401, 403, 422),
)
async def list_api_keys(actor: ActorDep, uow: UowDep, page: PageDep) -> ApiKeyList:
    result = await service.list_api_keys(uow, actor, page=page)
    return ApiKeyList(items=[ApiKeyOut.of(k) for k in result.items], next_cursor=encode_cursor(result.next_after))


@router.post(
    "/api-keys/{api_key_id}/revoke",
    response_model=ApiKeyOut,
    summary="Revoke an API key",
    description=service.revoke_api_key.__doc__,
    responses=problem_responses(401, 403, 404, 409),
)
async def revoke_api_key(api_key_id: UUID, actor: ActorDep, uow: UowDep) -> ApiKeyOut:
    return ApiKeyOut.of(await service.revoke_api_key(uow, actor, api_key_id))


@router.get(
    "/people/{person_id}/identities",
    response_model=IdentityList,
    summary="List a person's sign-in identities",
    description=identities.list_identities.__doc__,
    responses=problem_responses(401, 403, 404),
)
async def list_identities(person_id: UUID, actor: ActorDep, uow: UowDep) -> IdentityList:
    found = await identities.list_identities(uow, actor, person_id)
    return IdentityList(items=[IdentityOut(**vars(i)) for i in found])


@router.delete(
    "/people/{person_id}/identities",
    status_code=204,
    summary="Unlink a sign-in identity from a person",
    description=identities.unlink_identity.__doc__,
    responses=problem_responses(401, 403, 404),
)
async def unlink_identity(
    person_id: UUID,
    actor: ActorDep,
    uow: UowDep,
    issuer: Annotated[str, Query(max_length=500, description="The identity's issuer (`iss`).")],
    subject: Annotated[str, Query(max_length=255, description="The identity's subject (`sub`).")],
) -> Response:
    await identities.unlink_identity(uow, actor, person_id, issuer=issuer, subject=subject)
    return Response(status_code=204)
