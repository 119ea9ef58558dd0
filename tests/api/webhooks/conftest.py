"""A real receiver on loopback that verifies every delivery with the ``standardwebhooks`` package,
a settable clock, and the delivery loop the job kinds run, called step by step."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import func, select
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from starlette.requests import Request
from starlette.responses import Response

from app.adapters.persistence.tables import WebhookAttemptRow
from app.domain.actors import Role
from app.domain.webhooks import delivery_requests
from app.services import webhook_delivery
from app.workers.kinds import webhooks as webhook_kinds

API = "/api/v1"
LOOPBACK = ["127.0.0.0/8", "::1/128"]


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
def clock(container: Any, run_jobs: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """One settable clock for the requests and the jobs (``clock.advance(timedelta(...))``); a second
    ahead of real time, so what happened before the test took it stays in the past."""
    run_jobs.clock.set(datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1))
    monkeypatch.setattr(container, "clock", run_jobs.clock)
    return run_jobs.clock


@pytest.fixture
def loopback_allowed(container: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The deployment's allow-list admits loopback (where the test receiver listens)."""
    monkeypatch.setattr(container.webhook_sender.guard, "allowed", [ipaddress.ip_network(n) for n in LOOPBACK])


@pytest.fixture
async def admin(org: Any, auth: Any, client: httpx.AsyncClient) -> dict[str, str]:
    await org.person("Ada Admin")
    headers = dict(auth(org.email("Ada Admin"), Role.ADMIN))
    # The first sign-in links the identity (person.identity_linked): done before any endpoint exists,
    # so that tests count only the events they cause.
    assert (await client.get(f"{API}/me", headers=headers)).status_code == 200
    return headers


class Deliveries:
    """Runs the delivery lanes (fan-out, then sending) with ``run_jobs`` until nothing is due, and tells
    how many attempts that made and how many succeeded."""

    def __init__(self, container: Any, run_jobs: Any) -> None:
        self.container = container
        self.run_jobs = run_jobs

    async def _counts(self) -> tuple[int, int]:
        table = WebhookAttemptRow.__table__  # type: ignore[attr-defined]
        async with self.container.engine.connect() as connection:
            total = await connection.scalar(select(func.count()).select_from(table))
            ok = await connection.scalar(select(func.count()).select_from(table).where(table.c.outcome == "success"))
        return int(total or 0), int(ok or 0)

    async def run(self) -> webhook_delivery.BatchReport:
        """What happens within a second of a commit: the delivery lanes fire (the periodic beat)."""
        before, ok_before = await self._counts()
        async with self.run_jobs.uow() as uow:
            for request in delivery_requests():
                uow.jobs.enqueue(request)
            await uow.commit()
        await self.run_jobs()
        after, ok_after = await self._counts()
        return webhook_delivery.BatchReport(claimed=after - before, delivered=ok_after - ok_before)


@pytest.fixture(autouse=True)
def _lanes_end_when_idle(monkeypatch: pytest.MonkeyPatch) -> None:
    """``run_jobs`` runs one job at a time: a lane waiting for more work would only slow the tests."""
    monkeypatch.setattr(webhook_kinds, "LANE_IDLE_SECONDS", 0.0)


@pytest.fixture
def deliveries(container: Any, run_jobs: Any, loopback_allowed: None) -> Deliveries:
    return Deliveries(container, run_jobs)


async def register(
    client: httpx.AsyncClient, admin: dict[str, str], receiver: Receiver, **fields: Any
) -> dict[str, Any]:
    response = await client.post(f"{API}/webhook-endpoints", headers=admin, json={"url": receiver.url(), **fields})
    assert response.status_code == 201, response.text
    endpoint: dict[str, Any] = response.json()
    receiver.secrets.append(endpoint["secret"])
    return endpoint
