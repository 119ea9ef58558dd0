"""FastAPI dependencies: the container, the request's unit of work, the calling Actor.

All of them are ``async def`` and do no blocking I/O, so none of them hops to the thread pool.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.adapters.auth.tokens import InvalidToken
from app.adapters.persistence.transaction import RequestTransaction
from app.bootstrap import Container
from app.domain import policies
from app.domain.actors import Actor
from app.domain.errors import DomainError
from app.domain.ports import UnitOfWork

bearer = HTTPBearer(
    auto_error=False,
    description="A JWT from the organisation's identity provider (in development: `turnabout dev-token`).",
)


async def get_container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


ContainerDep = Annotated[Container, Depends(get_container)]


def request_transaction(request: Request) -> RequestTransaction:
    """The request's one transaction, opened by :class:`app.api.routing.TransactionalRoute`."""
    transaction: RequestTransaction | None = getattr(request.state, "transaction", None)
    if transaction is None:
        raise RuntimeError("this route does not run in a request transaction (use api.routing.router)")
    return transaction


async def get_uow(request: Request, container: ContainerDep) -> UnitOfWork:
    return container.uow(transaction=request_transaction(request))


UowDep = Annotated[UnitOfWork, Depends(get_uow)]


async def authenticate(request: Request, container: Container) -> Actor:
    """The bearer token's Actor (401 ``unauthenticated`` / ``invalid_token`` otherwise). Verified
    claims and identity links are cached, so a warm call costs no SQL at all."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise DomainError(code="unauthenticated", detail="Send a bearer token.", kind="unauthorized")
    try:
        claims = await container.actors.claims(token.strip())
    except InvalidToken as error:
        raise DomainError(code="invalid_token", detail=str(error), kind="unauthorized") from error
    return await container.actors.resolve(claims, reader=lambda: container.uow(read_only=True), linker=container.uow)


async def get_actor(
    request: Request,
    container: ContainerDep,
    # Declared for the OpenAPI security scheme ("Authorize" in /docs); the header is read above.
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Actor:
    actor: Actor | None = getattr(request.state, "actor", None)
    if actor is None:  # routes authenticate before the body is read; this covers any other caller
        actor = await authenticate(request, container)
        request.state.actor = actor
    return actor


ActorDep = Annotated[Actor, Depends(get_actor)]


async def get_webhook_manager(actor: ActorDep) -> Actor:
    """The caller, if they may manage webhooks (admins; the one place an API-key scope joins in)."""
    policies.require(
        policies.can_manage_webhooks(actor), "webhooks_admin_only", "Only admins manage webhook endpoints."
    )
    return actor


WebhookManagerDep = Annotated[Actor, Depends(get_webhook_manager)]
