"""Every API route runs the same way: authenticate first, then one transaction for the request.

1. If the operation needs a caller, the bearer token (or API key) is checked *before* the body is
   read or parsed (a 100 MB body without a token costs nothing but the 401), and so is an
   integration's scope against the operation's declared access rule (``app.api.access``).
2. A :class:`RequestTransaction` is opened (lazily: a route that touches no table opens none).
   ``GET``/``HEAD`` run read-only — on SQLite they never take the write lock.
3. The endpoint runs; its use cases write and ask to commit; the response is rendered (and stored
   with its ``Idempotency-Key`` record, in the same transaction).
4. The transaction commits once. If that fails, the client gets an error, never a success for a
   change that was not saved.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import structlog
from fastapi import APIRouter, Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from app.api.access import operation_id, rule_of
from app.api.deps import authenticate, check_scope, get_actor

_READS = frozenset({"GET", "HEAD"})
log = structlog.get_logger("turnabout.http")


def _needs(dependant: Dependant, call: Callable[..., Any]) -> bool:
    return any(sub.call is call or _needs(sub, call) for sub in dependant.dependencies)


def _required_scope(dependant: Dependant) -> str | None:
    """The scope a ``deps.require_scope(...)`` dependency of the route asks for, if any."""
    for sub in dependant.dependencies:
        scope = getattr(sub.call, "required_scope", None) or _required_scope(sub)
        if scope:
            return str(scope)
    return None


class TransactionalRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        authenticates = _needs(self.dependant, get_actor)
        read_only = self.methods is not None and bool(self.methods) and self.methods <= _READS
        rule = rule_of(operation_id(self.name))
        scope = rule.scope.value if rule is not None and rule.scope is not None else _required_scope(self.dependant)

        async def run(request: Request) -> Response:
            container = request.app.state.container
            if authenticates:
                request.state.actor = actor = await authenticate(request, container)
                check_scope(actor, scope)  # integrations: the operation's declared scope, before the body
            async with container.transaction(read_only=read_only) as transaction:
                request.state.transaction = transaction
                response = await handler(request)
                await transaction.complete()
            if transaction.used and (outage := container.database.mark_up()) is not None:
                log.warning("database_recovered", after_seconds=round(outage, 1))
            return response

        return run


def api_router(**options: Any) -> APIRouter:
    """An ``APIRouter`` whose routes run as above."""
    return APIRouter(route_class=TransactionalRoute, **options)
