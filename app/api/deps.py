"""FastAPI dependencies: the container, a unit of work per request, the calling Actor."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.adapters.auth.actors import resolve_actor
from app.adapters.auth.tokens import InvalidToken
from app.bootstrap import Container
from app.domain.actors import Actor
from app.domain.errors import DomainError
from app.domain.ports import UnitOfWork

bearer = HTTPBearer(
    auto_error=False,
    description="A JWT from the organisation's identity provider (in development: `turnabout dev-token`).",
)


def get_container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


ContainerDep = Annotated[Container, Depends(get_container)]


def get_uow(container: ContainerDep) -> UnitOfWork:
    return container.uow()


UowDep = Annotated[UnitOfWork, Depends(get_uow)]


async def get_actor(
    request: Request,
    container: ContainerDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Actor:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise DomainError(code="unauthenticated", detail="Send a bearer token.", kind="unauthorized")
    try:
        claims = await container.validator.validate(credentials.credentials)
    except InvalidToken as error:
        raise DomainError(code="invalid_token", detail=str(error), kind="unauthorized") from error
    actor = await resolve_actor(container.uow(), claims)
    request.state.actor = actor
    return actor


ActorDep = Annotated[Actor, Depends(get_actor)]
