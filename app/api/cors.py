"""Browser front ends on other origins: CORS, with the headers scripts need exposed to them.

The allowed origins are a setting (``TURNABOUT_CORS_ORIGINS``); with none set, no origin is
allowed and the API answers as before. Preflights are answered here, before routing, so that
``OPTIONS`` never meets a route's 405. Bearer tokens travel in ``Authorization``, not cookies, so
credentials mode stays off and ``*`` is a safe choice for an API behind SSO.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app.settings import Settings

# Sent by front ends: the token, JSON bodies, optimistic concurrency, retries, correlation.
ALLOWED_HEADERS = ["Authorization", "Content-Type", "If-Match", "Idempotency-Key", "X-Request-ID"]
# Read by front ends: the version for If-Match, the correlation id, where a create lives, replays,
# when to retry, which methods a path takes.
EXPOSED_HEADERS = ["ETag", "X-Request-ID", "Location", "Idempotent-Replayed", "Retry-After", "Allow"]
PREFLIGHT_CACHE_SECONDS = 600


def install(app: FastAPI, settings: Settings) -> None:
    """Add CORS as the outermost layer, so every answer (errors included) carries its headers.

    Call it after every other middleware is added."""
    if not settings.cors_origins:
        return
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=ALLOWED_HEADERS,
        expose_headers=EXPOSED_HEADERS,
        allow_credentials=False,
        max_age=PREFLIGHT_CACHE_SECONDS,
    )
