"""NUL in a path or a query string: refused before routing, as the domain's ``text_contains_nul``.

Bodies are checked by the request schemas (``schemas.base.Input``); this covers what never reaches
a schema: path segments and query parameters, whatever route (or none) they are meant for.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api import problems
from app.domain.errors import DomainError
from app.domain.text import NUL, refuse_nul


def _carries_nul(scope: Scope) -> str | None:
    if NUL in scope.get("path", ""):
        return "path"
    query: bytes = scope.get("query_string", b"")
    if b"\x00" in query or b"%00" in query:
        return "query"
    return None


class RefuseNul:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        where = scope["type"] == "http" and _carries_nul(scope)
        if not where:
            await self.app(scope, receive, send)
            return
        try:
            refuse_nul(NUL, where)
        except DomainError as error:
            response = problems.problem(
                Request(scope),
                status=422,
                code=error.code,
                detail=error.detail,
                errors=[{"path": e.path, "message": e.message} for e in error.errors],
            )
            await response(scope, receive, send)


def install(app: FastAPI) -> None:
    app.add_middleware(RefuseNul)
