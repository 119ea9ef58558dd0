"""``/graphql``: the GraphQL door, mounted beside REST's ``/api/v1``.

Authentication is REST's own function (``authenticate``, handed in by ``create_app`` so this package
needs nothing of the REST package): the bearer token is checked before the request body is read, and
a request without a valid one is answered ``401`` with REST's code (``unauthenticated``,
``invalid_token``) in the shape GraphQL clients read (``errors[].extensions.code``).
GraphiQL (the page itself needs no token) is served in development; subscriptions speak
``graphql-transport-ws`` and authenticate with ``connection_init``'s ``Authorization`` payload (or the
upgrade request's header).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, cast

from starlette.requests import HTTPConnection, Request
from starlette.responses import JSONResponse
from strawberry.exceptions import ConnectionRejectionError
from strawberry.fastapi import GraphQLRouter
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UNSET, UnsetType

from app.bootstrap import Container
from app.domain.actors import Actor
from app.domain.errors import DomainError
from app.graphql.context import Context
from app.graphql.schema import build_schema
from app.settings import Settings

GRAPHQL_RESPONSE = "application/graphql-response+json"
Authenticate = Callable[[Request, Container], Awaitable[Actor]]


def _wants_ide(request: HTTPConnection) -> bool:
    return request.scope["type"] == "http" and request.scope["method"] == "GET" and "query" not in request.query_params


def _as_request(headers: dict[str, str], client: Any = None) -> Request:
    """A request carrying only these headers (and the socket's client address, which the failure
    throttle counts by): how a WebSocket's ``connection_init`` payload reaches the same
    ``authenticate`` as every HTTP request."""
    raw = [(name.lower().encode(), value.encode()) for name, value in headers.items() if isinstance(value, str)]
    scope = {"type": "http", "method": "GET", "path": "/graphql", "headers": raw, "query_string": b""}
    if client is not None:
        scope["client"] = (client.host, client.port)
    return Request(scope)


class TurnaboutGraphQL(GraphQLRouter[Context, None]):
    def __init__(self, settings: Settings, authenticate: Authenticate) -> None:
        self._authenticate = authenticate

        async def context(connection: HTTPConnection) -> Context:
            container: Container = connection.app.state.container
            if connection.scope["type"] == "websocket" or _wants_ide(connection):
                return Context(container, actor=None)  # a socket authenticates in connection_init
            try:
                return Context(container, actor=await authenticate(connection, container))  # type: ignore[arg-type]
            except DomainError as refusal:
                context = Context(container, actor=None)
                context.refusal = refusal
                return context

        super().__init__(
            build_schema(settings),
            path="/graphql",
            graphql_ide="graphiql" if settings.graphql_ide_enabled else None,
            context_getter=context,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            include_in_schema=False,
        )

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        refusal = getattr(context, "refusal", None)
        if isinstance(refusal, DomainError):
            # refused before the body is read, as REST does; in the shape GraphQL clients read
            # a refusal at the door carries its own status and headers (429, 503, RFC 6750 challenges)
            status = getattr(refusal, "status", None) or (401 if refusal.kind == "unauthorized" else 403)
            body = {"errors": [{"message": refusal.detail, "extensions": {"code": refusal.code}}]}
            headers = getattr(refusal, "headers", None) or (
                {"WWW-Authenticate": 'Bearer realm="turnabout"'} if status == 401 else None
            )
            return JSONResponse(body, status_code=status, headers=headers, media_type=GRAPHQL_RESPONSE)
        return await super().run(request, context, root_value)

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        params = context.connection_params if isinstance(context.connection_params, dict) else {}
        headers = {key: value for key, value in params.items() if isinstance(value, str)}
        socket = context.request
        if socket is not None and "authorization" not in {k.lower() for k in headers}:
            headers.update({k: v for k, v in socket.headers.items() if k.lower() == "authorization"})
        try:
            client = socket.client if socket is not None else None
            actor = await self._authenticate(_as_request(headers, client), context.container)
        except DomainError as error:
            raise ConnectionRejectionError({"code": error.code, "message": error.detail}) from error
        context.authenticated_as(actor)
        return cast(UnsetType, UNSET)


def graphql_router(settings: Settings, *, authenticate: Authenticate) -> GraphQLRouter[Context, None]:
    return TurnaboutGraphQL(settings, authenticate)
