"""Security headers on every response, as plain ASGI (no task hop per request).

- ``X-Content-Type-Options: nosniff`` everywhere: a JSON body is never sniffed into HTML;
- ``Cache-Control: no-store`` on the API and GraphQL (personal data: no shared cache, no browser
  history keeps it), unless a route chose its own policy;
- ``Strict-Transport-Security`` in production (the service is reached over HTTPS there).
The pages of ``/docs`` carry their own Content-Security-Policy (``app.api.docs``).
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PERSONAL = ("/api/", "/graphql", "/oauth/")


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, hsts_seconds: int | None) -> None:
        self.app = app
        self.hsts = f"max-age={hsts_seconds}; includeSubDomains" if hsts_seconds else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        personal = str(scope.get("path", "")).startswith(PERSONAL)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                if personal and "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
                if self.hsts:
                    headers.setdefault("Strict-Transport-Security", self.hsts)
            await send(message)

        await self.app(scope, receive, send_with_headers)
