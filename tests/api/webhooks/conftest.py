"""A real receiver on loopback that verifies every delivery with the ``standardwebhooks`` package,
a settable clock, and the delivery loop the job kinds run, called step by step."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import uvicorn
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from starlette.requests import Request
from starlette.responses import Response

from app.domain.actors import Role
from app.services import webhook_delivery

API = "/api/v1"
LOOPBACK = ["127.0.0.0/8", "::1/128"]


class SettableClock:
    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        self.current += timedelta(**delta)
        return self.current


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    verified: Any  # the parsed body, or the verification error
    secrets_that_verify: list[str]

    @property
    def json(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.body)
        return parsed


@dataclass
class Receiver:
    """Answers each POST with what ``respond`` says (200 by default) and keeps every request."""

    base_url: str = ""
    secrets: list[str] = field(default_factory=list)
    requests: list[Received] = field(default_factory=list)
    respond: Callable[[Request], Awaitable[Response]] | None = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        body = await request.body()
        headers = {k.lower(): v for k, v in request.headers.items()}
        verified: Any = None
        good: list[str] = []
        for secret in self.secrets:
            try:
                verified = Webhook(secret).verify(body, headers)
                good.append(secret)
            except WebhookVerificationError as error:
                verified = verified or error
        self.requests.append(Received(request.url.path, headers, body, verified, good))
        response = await self.respond(request) if self.respond else Response(status_code=200, content=b"ok")
        await response(scope, receive, send)

    def url(self, path: str = "/hook") -> str:
        return self.base_url + path

    def ids(self) -> list[str]:
        return [r.headers["webhook-id"] for r in self.requests]


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    app = Receiver()
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="error", lifespan="off", access_log=False)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    for _ in range(500):  # uvicorn offers no event to wait on
        if server.started:
            break
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    app.base_url = f"http://127.0.0.1:{port}"
    yield app
    server.should_exit = True
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.wait_for(task, timeout=5)


@pytest.fixture
def clock(container: Any, monkeypatch: pytest.MonkeyPatch) -> SettableClock:
    # a second ahead: what happened before the test took the clock stays in the past
    settable = SettableClock(datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1))
    monkeypatch.setattr(container, "clock", settable)
    return settable


@pytest.fixture
def loopback_allowed(container: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The deployment's allow-list admits loopback (where the test receiver listens)."""
    monkeypatch.setattr(container.webhook_sender.guard, "allowed", [ipaddress.ip_network(n) for n in LOOPBACK])


@pytest.fixture
async def admin(org: Any, auth: Any) -> dict[str, str]:
    await org.person("Ada Admin")
    return dict(auth(org.email("Ada Admin"), Role.ADMIN))


class Deliveries:
    """What the job kinds do, one step at a time: fan out, then send every due message."""

    def __init__(self, container: Any) -> None:
        self.container = container
        self.rng = random.Random(7)

    async def run(self, *, rounds: int = 5) -> webhook_delivery.BatchReport:
        total = webhook_delivery.BatchReport()
        for _ in range(rounds):
            await webhook_delivery.fan_out(self.container.uow())
            report = await webhook_delivery.deliver_due(self.container.uow, self.container.webhook_sender, rng=self.rng)
            total = webhook_delivery.BatchReport(
                claimed=total.claimed + report.claimed,
                delivered=total.delivered + report.delivered,
                failed=total.failed + report.failed,
                disabled=total.disabled + report.disabled,
            )
            if report.claimed == 0:
                break
        return total


@pytest.fixture
def deliveries(container: Any, loopback_allowed: None) -> Deliveries:
    return Deliveries(container)


async def register(
    client: httpx.AsyncClient, admin: dict[str, str], receiver: Receiver, **fields: Any
) -> dict[str, Any]:
    response = await client.post(f"{API}/webhook-endpoints", headers=admin, json={"url": receiver.url(), **fields})
    assert response.status_code == 201, response.text
    endpoint: dict[str, Any] = response.json()
    receiver.secrets.append(endpoint["secret"])
    return endpoint
