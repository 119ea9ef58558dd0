"""The methods a path answers to, for the ``Allow`` header of a 405 (RFC 9110 §15.5.6).

FastAPI registers one route per (path, method); the framework's 405 names only the first route
whose path matched, so a client told ``Allow: GET`` never learns that PATCH works too. Each method
is asked of the router as it routes (included routers and mounts alike), so the answer is exactly
what routing would do.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Match, Mount

METHODS = ("DELETE", "GET", "HEAD", "PATCH", "POST", "PUT")


def allowed_methods(request: Request) -> list[str]:
    routes = [route for route in request.app.router.routes if not isinstance(route, Mount)]
    return [
        method
        for method in METHODS
        if any(route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes)
    ]


def allow_header(request: Request) -> dict[str, str]:
    methods = allowed_methods(request)
    return {"Allow": ", ".join(methods)} if methods else {}
