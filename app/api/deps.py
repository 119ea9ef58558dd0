"""FastAPI dependencies: the container, the request's unit of work, the calling Actor.

All of them are ``async def`` and do no blocking I/O, so none of them hops to the thread pool.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.adapters.auth.api_keys import InvalidApiKey
from app.adapters.auth.tokens import IdentityProviderUnavailable, InvalidToken
from app.adapters.persistence.transaction import RequestTransaction
from app.bootstrap import Container
from app.domain import policies
from app.domain.actors import Actor, ActorKind, Scope
from app.domain.errors import DomainError
from app.domain.ports import UnitOfWork

bearer = HTTPBearer(
    auto_error=False,
    description="A JWT from the organisation's identity provider (in development: `turnabout dev-token`), "
    "or an integration's API key (`tb_…`).",
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


REALM = 'Bearer realm="turnabout"'


@dataclass
class AuthenticationRefused(DomainError):
    """A refusal at the door, with its own status and headers (RFC 6750 challenges, ``Retry-After``)."""

    status: int = 401
    headers: dict[str, str] = field(default_factory=dict)


def challenge(error: str | None = None, **params: str) -> dict[str, str]:
    """``WWW-Authenticate`` as RFC 6750 has it: ``Bearer realm="turnabout", error="invalid_token"``."""
    parts = [REALM] + ([f'error="{error}"'] if error else []) + [f'{k}="{v}"' for k, v in params.items()]
    return {"WWW-Authenticate": ", ".join(parts)}


def credential(request: Request) -> str | None:
    """The bearer token or API key the caller sent (``Authorization: Bearer …`` or ``X-API-Key``)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    key = request.headers.get("x-api-key", "").strip()
    return key or None


def client_address(request: Request) -> str:
    return request.client.host if request.client else "-"


async def authenticate(request: Request, container: Container) -> Actor:
    """The caller's Actor: a person or a service client from a bearer JWT, or an integration from an
    API key (``tb_…``). 401 ``unauthenticated`` / ``invalid_token`` otherwise (RFC 6750 challenge);
    429 once a client has failed too often; 503 when the IdP's keys cannot be had. Verified claims,
    identity links and keys are cached, so a warm call costs no SQL at all."""
    client = client_address(request)
    wait = container.throttle.retry_after(client)
    if wait is not None:
        raise AuthenticationRefused(
            code="too_many_authentication_failures",
            detail=f"Too many failed authentications from this client; retry in {wait} seconds.",
            kind="unauthorized",
            status=429,
            headers={"Retry-After": str(wait)},
        )
    token = credential(request)
    if token is None:
        raise AuthenticationRefused(
            code="unauthenticated", detail="Send a bearer token.", kind="unauthorized", headers=challenge()
        )
    try:
        if container.api_keys.looks_like_key(token):
            return await container.api_keys.actor(
                token, now=container.clock.now(), reader=lambda: container.uow(read_only=True), writer=container.uow
            )
        claims = await container.actors.claims(token)
    except (InvalidToken, InvalidApiKey) as error:
        container.throttle.failed(client)
        raise AuthenticationRefused(
            code="invalid_token",
            detail=str(error),
            kind="unauthorized",
            headers=challenge("invalid_token", error_description=str(error).replace('"', "'")),
        ) from error
    except IdentityProviderUnavailable as error:
        raise AuthenticationRefused(
            code="identity_provider_unavailable",
            detail="The identity provider cannot be reached, so the token cannot be checked; retry shortly.",
            kind="unauthorized",
            status=503,
            headers={"Retry-After": str(error.retry_after)},
        ) from error
    return await container.actors.resolve(claims, reader=lambda: container.uow(read_only=True), linker=container.uow)


def require_scope(scope: Scope | str) -> Callable[..., Awaitable[Actor]]:
    """A dependency for a route only integrations with ``scope`` (and people, whose roles the use case
    checks) may call: ``actor: Annotated[Actor, Depends(require_scope(Scope.WEBHOOKS_MANAGE))]``.
    Declares the scope for the route's access rule too (``x-turnabout-access``)."""

    async def scoped(actor: ActorDep) -> Actor:
        check_scope(actor, str(scope))
        return actor

    scoped.required_scope = str(scope)  # type: ignore[attr-defined]
    return scoped


def check_scope(actor: Actor, scope: str | None) -> None:
    """The one place integrations' scopes are checked at the door (403 ``insufficient_scope``)."""
    if actor.kind is ActorKind.PERSON:
        return
    if scope is None or not actor.allows(scope):
        wanted = f"the `{scope}` scope" if scope else "a person's sign-in; no integration scope grants it"
        raise AuthenticationRefused(
            code="insufficient_scope",
            detail=f"This operation needs {wanted}.",
            kind="forbidden",
            status=403,
            headers=challenge("insufficient_scope", scope=scope) if scope else challenge("insufficient_scope"),
        )


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
    """The caller, if they may manage webhooks (admins, integrations with `webhooks:manage`)."""
    policies.require(
        policies.can_manage_webhooks(actor),
        "webhooks_admin_only",
        "Only admins and integrations with `webhooks:manage` manage webhook endpoints.",
    )
    return actor


WebhookManagerDep = Annotated[Actor, Depends(get_webhook_manager)]
