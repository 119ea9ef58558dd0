"""The request context, as plain ASGI (no ``BaseHTTPMiddleware`` task hop per request).

For every HTTP request it
- assigns the request id (a well-formed incoming ``X-Request-ID`` is kept) and answers with it,
  errors included, and binds it to every log line of the request;
- refuses bodies over the limit with 413: at once from ``Content-Length``, and while reading a body
  sent without one (chunked) — before the endpoint parses anything;
- turns any exception no handler took into a 500 problem *here*, below Starlette's
  ``ServerErrorMiddleware``, which would re-raise it and make the server drop the keep-alive
  connection: the client's next call on that connection then works;
- counts and times the request by route template in ``/metrics`` (5xx included) and logs one line:
  the route template, never the raw path (paths can hold secrets, e.g. a calendar feed's).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any

import structlog
from prometheus_client import Counter, Histogram
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUESTS = Counter("turnabout_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram("turnabout_http_request_seconds", "HTTP request latency", ["method", "route"])
ERRORS = Counter("turnabout_http_server_errors_total", "Responses with a 5xx status", ["route", "code"])
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
PROBLEM_JSON = "application/problem+json"

log = structlog.get_logger("turnabout.http")


def problem_body(*, status: int, title: str, code: str, detail: str, instance: str, request_id: str) -> bytes:
    return json.dumps(
        {
            "type": f"https://turnabout.dev/problems/{code}",
            "title": title,
            "status": status,
            "detail": detail,
            "code": code,
            "instance": instance,
            "request_id": request_id,
            "errors": [],
        }
    ).encode()


class RequestContext:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int, new_id: Callable[[], str]) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.new_id = new_id

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = dict(scope["headers"])
        incoming = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _REQUEST_ID.match(incoming) else self.new_id()
        scope.setdefault("state", {})["request_id"] = request_id
        structlog.contextvars.bind_contextvars(request_id=request_id)
        outcome: dict[str, Any] = {"status": 500, "started": False}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                outcome["status"] = message["status"]
                outcome["started"] = True
                MutableHeaders(scope=message).append("X-Request-ID", request_id)
            await send(message)

        received = 0

        async def receive_within_limit() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise HTTPException(413, f"The body is larger than {self.max_body_bytes} bytes.")
            return message

        try:
            if _declared_length(headers) > self.max_body_bytes:
                await self._answer(
                    scope,
                    send_with_id,
                    status=413,
                    title="Content too large",
                    code="body_too_large",
                    detail=f"The body is larger than {self.max_body_bytes} bytes.",
                    request_id=request_id,
                )
            else:
                await self.app(scope, receive_within_limit, send_with_id)
        except Exception as error:
            log.error("unhandled_error", path=_route(scope), error=type(error).__name__, exc_info=error)
            if not outcome["started"]:
                await self._answer(
                    scope,
                    send_with_id,
                    status=500,
                    title="Internal server error",
                    code="internal_error",
                    detail="Something went wrong on our side; the request id identifies it in our logs.",
                    request_id=request_id,
                )
            outcome["status"] = 500
        finally:
            structlog.contextvars.unbind_contextvars("request_id")
        elapsed = time.perf_counter() - started
        route, status = _route(scope), int(outcome["status"])
        REQUESTS.labels(scope["method"], route, str(status)).inc()
        LATENCY.labels(scope["method"], route).observe(elapsed)
        if status >= 500:
            ERRORS.labels(route, str(scope.get("state", {}).get("problem_code", "internal_error"))).inc()
        log.info(
            "request",
            request_id=request_id,
            method=scope["method"],
            route=route,
            status=status,
            ms=round(elapsed * 1000, 1),
        )

    @staticmethod
    async def _answer(
        scope: Scope, send: Send, *, status: int, title: str, code: str, detail: str, request_id: str
    ) -> None:
        scope.setdefault("state", {})["problem_code"] = code
        body = problem_body(
            status=status, title=title, code=code, detail=detail, instance=scope.get("path", ""), request_id=request_id
        )
        headers = [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())]
        if status == 413:
            headers.append((b"connection", b"close"))  # the unread body is not worth reading
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _declared_length(headers: dict[bytes, bytes]) -> int:
    try:
        return int(headers.get(b"content-length", b"0"))
    except ValueError:
        return 0


def _route(scope: Scope) -> str:
    """The matched route's template with the prefix it was included under (``/api/v1/skills``), never
    the raw path. An included router's route knows only its own part, so the prefix is the part of
    the path before the route's own pattern matches."""
    route = scope.get("route")
    template = getattr(route, "path_format", None) or getattr(route, "path", None)
    if not isinstance(template, str):
        return "unmatched"
    pattern, path = getattr(route, "path_regex", None), str(scope.get("path", ""))
    if pattern is None or pattern.match(path):
        return template
    cut = path.find("/", 1)
    while cut != -1:
        if pattern.match(path[cut:]):
            return path[:cut] + template
        cut = path.find("/", cut + 1)
    return template
