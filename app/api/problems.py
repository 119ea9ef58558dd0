"""RFC 9457 problem details: one handler per kind of failure, never a stack trace."""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as SATimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.adapters.persistence.db import is_unavailable
from app.api.methods import allow_header
from app.domain.errors import DomainError, ErrorKind

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://turnabout.dev/problems/"

STATUS_BY_KIND: dict[ErrorKind, int] = {
    "not_found": 404,
    "conflict": 409,
    "forbidden": 403,
    "invalid": 422,
    "precondition": 412,
    "unauthorized": 401,
}
TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict with the current state",
    412: "Precondition failed",
    429: "Too many requests",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    428: "Precondition required",
    500: "Internal server error",
    503: "Service unavailable",
}


class FieldError(BaseModel):
    path: str = Field(examples=["body.cycle_end"])
    message: str = Field(examples=["The cycle must end after it starts."])


class Problem(BaseModel):
    """An error, as ``application/problem+json`` (RFC 9457), with a stable machine ``code``."""

    # No field examples: each operation's responses carry one example per problem code instead.
    type: str = Field(description="`https://turnabout.dev/problems/` followed by the code.")
    title: str = Field(description="The status, in words.")
    status: int
    detail: str = Field(description="What went wrong, for humans.")
    code: str = Field(description="Stable and machine-readable; see `x-problem-codes` of the operation.")
    instance: str | None = Field(default=None, description="The request path.")
    request_id: str | None = Field(default=None, description="Quote it when you report a problem.")
    errors: list[FieldError] = Field(default_factory=list)


DESCRIPTIONS = {
    401: "Missing or invalid bearer token.",
    403: "The caller may not do this (see `code`).",
    404: "No such resource, or not visible to the caller.",
    409: "A business rule refused the change (see `code`); nothing changed.",
    412: "The `If-Match` version is not the current one; reload and retry.",
    500: "Unexpected failure; nothing was changed.",
    422: "The payload is malformed or breaks a field rule; `errors` lists the fields.",
    413: "The body is larger than the service accepts (`TURNABOUT_MAX_BODY_BYTES`); nothing was read.",
    429: "Too many failed authentications from this client; retry after `Retry-After` seconds.",
    503: "The database or the identity provider cannot be reached right now; nothing was changed. Retry after "
    "`Retry-After` seconds.",
}
RETRY_AFTER_SECONDS = 5


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Documented error responses for an operation."""
    return {
        status: {
            "model": Problem,
            "description": DESCRIPTIONS.get(status, TITLES.get(status, "Error")),
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }


def problem(
    request: Request,
    *,
    status: int,
    code: str,
    detail: str,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    request.state.problem_code = code  # for the 5xx counter in /metrics
    body = Problem(
        type=TYPE_BASE + code,
        title=TITLES.get(status, "Error"),
        status=status,
        detail=detail,
        code=code,
        instance=request.url.path,
        request_id=getattr(request.state, "request_id", None),
        errors=[FieldError(**e) for e in errors or []],
    )
    return JSONResponse(
        body.model_dump(exclude_none=True), status_code=status, media_type=PROBLEM_JSON, headers=headers
    )


def _location(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in loc)


def install(app: FastAPI) -> None:
    log = structlog.get_logger("turnabout.errors")

    @app.exception_handler(DomainError)
    async def _domain(request: Request, error: DomainError) -> JSONResponse:
        # A refusal at the door (app.api.deps.AuthenticationRefused) brings its own status and headers.
        status = getattr(error, "status", None) or STATUS_BY_KIND[error.kind]
        headers = getattr(error, "headers", None) or (
            {"WWW-Authenticate": 'Bearer realm="turnabout"'} if status == 401 else None
        )
        return problem(
            request,
            status=status,
            code=error.code,
            detail=error.detail,
            errors=[{"path": e.path, "message": e.message} for e in error.errors],
            headers=headers,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [{"path": _location(e["loc"]), "message": e["msg"]} for e in error.errors()]
        if any(e.get("type") == "json_invalid" for e in error.errors()):  # JSON that does not parse
            return problem(
                request, status=422, code="malformed_body", detail="The body is not valid JSON.", errors=errors
            )
        return problem(request, status=422, code="validation_failed", detail="The request is not valid.", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        if error.status_code == 400:
            # The framework's "error parsing the body": a malformed payload, which is a 422 here.
            return problem(request, status=422, code="malformed_body", detail="The body is not valid JSON.")
        code = {404: "route_not_found", 405: "method_not_allowed", 413: "body_too_large"}.get(
            error.status_code, "http_error"
        )
        detail = error.detail if isinstance(error.detail, str) else TITLES.get(error.status_code, "Error")
        headers = dict(error.headers or {}) | (allow_header(request) if error.status_code == 405 else {})
        return problem(request, status=error.status_code, code=code, detail=detail, headers=headers)

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, error: IntegrityError) -> JSONResponse:
        # The rules check uniqueness first; this is the rare race (two writers at once) or an
        # ordering the checks cannot see. Nothing was committed: the transaction rolled back.
        log.warning("integrity_conflict", path=request.url.path, error=type(error.orig).__name__)
        return problem(
            request,
            status=409,
            code="conflicts_with_existing_data",
            detail="The change collides with data saved meanwhile (e.g. a duplicate); nothing was changed.",
        )

    async def _unavailable(request: Request, error: Exception) -> JSONResponse:
        if not is_unavailable(error):
            raise error  # a bug, not an outage: the request context answers 500 and logs it
        status = request.app.state.container.database
        if status.mark_down():  # once per outage, not a traceback per request
            log.warning("database_unavailable", error=type(getattr(error, "orig", None) or error).__name__)
        return problem(
            request,
            status=503,
            code="database_unavailable",
            detail="The database cannot be reached right now; nothing was changed. Retry shortly.",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )

    for unavailable in (DBAPIError, SATimeoutError, OSError, TimeoutError):
        app.add_exception_handler(unavailable, _unavailable)


def document_problems(schema: dict[str, Any]) -> dict[str, Any]:
    """Every operation's problems, codes and examples in the OpenAPI document (``problem_docs``)."""
    from app.api.problem_docs import document_problems as describe  # it builds on this module

    return describe(schema)
