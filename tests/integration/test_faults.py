"""Faults seen through a real HTTP server (uvicorn, in this process) and a real socket: the database
going away and coming back, a bug answering 500 on a keep-alive connection, a huge body without a
token. What a client notices, not what the code does."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import psutil
import pytest
import uvicorn
from sqlalchemy.engine import make_url

from app.adapters.auth.tokens import issue_dev_token
from app.bootstrap import Container, build_container
from app.domain.actors import Role
from app.logging import configure_logging
from app.main import create_app
from app.settings import Settings


@contextlib.asynccontextmanager
async def serving(app: Any) -> AsyncIterator[int]:
    """The app behind uvicorn on a free loopback port, in this event loop."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None, access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers a flag, not an event
        await asyncio.sleep(0.01)
    port = int(server.servers[0].sockets[0].getsockname()[1])
    try:
        yield port
    finally:
        server.should_exit = True
        await task


async def exchange(
    port: int, request: bytes, *, reader: asyncio.StreamReader | None = None, writer: Any = None
) -> tuple[int, dict[str, str], bytes, asyncio.StreamReader, Any]:
    """Send one raw HTTP/1.1 request (on the given connection, or a new one) and read the answer."""
    if reader is None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    await writer.drain()
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=10)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers, body, reader, writer


def get(path: str, token: str | None = None) -> bytes:
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    return f"GET {path} HTTP/1.1\r\nHost: t\r\n{auth}\r\n".encode()


def token_for(container: Container, email: str, *roles: Role) -> str:
    assert container.dev_key is not None
    return issue_dev_token(
        container.dev_key,
        issuer=container.settings.effective_issuer,
        audience=container.settings.auth_audience,
        email=email,
        roles=roles or (Role.EMPLOYEE,),
        ttl_seconds=600,
    )


async def test_a_keep_alive_connection_survives_a_500(app, container, monkeypatch) -> None:
    from app.services import skills

    async def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(skills, "list_skills", boom)
    token = token_for(container, "someone@example.com")
    async with serving(app) as port:
        status, headers, body, reader, writer = await exchange(port, get("/api/v1/skills", token))
        assert status == 500 and headers["content-type"] == "application/problem+json"
        assert headers["x-request-id"] and b"internal_error" in body
        again, _, _, _, _ = await exchange(port, get("/healthz"), reader=reader, writer=writer)
        assert again == 200  # the same connection: not reset after the 500
        writer.close()


async def test_a_huge_body_without_a_token_is_refused_without_being_read(app) -> None:
    size = 100 * 1024 * 1024
    process = psutil.Process()
    async with serving(app) as port:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        before = process.memory_info().rss
        writer.write(
            f"POST /api/v1/programs HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
            f"Content-Length: {size}\r\n\r\n".encode()
        )
        await writer.drain()
        # the answer comes from the headers alone, before a byte of the body is sent
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=10)
        chunk = b"x" * (1024 * 1024)
        sent = 0
        with contextlib.suppress(ConnectionError, TimeoutError):
            while sent < size:
                writer.write(chunk)
                await asyncio.wait_for(writer.drain(), timeout=2)
                sent += len(chunk)
        grown = process.memory_info().rss - before
        writer.close()
    assert head.split()[1] == b"413"
    assert b"connection: close" in head.lower()
    assert sent < size  # the server stopped reading: the connection closed long before the end
    assert grown < 10 * 1024 * 1024, f"RSS grew by {grown / 1e6:.1f} MB"


class TcpProxy:
    """A loopback proxy in front of the database that a test can cut and restore."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = 0
        self.server: asyncio.Server | None = None
        self.pipes: set[asyncio.Task[None]] = set()
        self.writers: list[asyncio.StreamWriter] = []

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._accept, "127.0.0.1", self.port)
        self.port = int(self.server.sockets[0].getsockname()[1])

    async def _accept(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            client_writer.close()
            return
        self.writers += [client_writer, upstream_writer]
        for source, sink in ((client_reader, upstream_writer), (upstream_reader, client_writer)):
            task = asyncio.create_task(self._pipe(source, sink))
            self.pipes.add(task)
            task.add_done_callback(self.pipes.discard)

    @staticmethod
    async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, asyncio.CancelledError):
            while data := await source.read(65536):
                sink.write(data)
                await sink.drain()
        sink.close()

    async def cut(self) -> None:
        """The database becomes unreachable: open connections drop, new ones are refused."""
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()
        for writer in self.writers:
            writer.close()
        self.writers.clear()
        for task in list(self.pipes):
            task.cancel()

    async def restore(self) -> None:
        await self.start()


async def test_a_database_outage_is_503_and_service_resumes_by_itself(
    backend, container, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    if backend != "postgresql":
        pytest.skip("an outage is a network fault: PostgreSQL")
    url = make_url(container.settings.database_url)
    proxy = TcpProxy(url.port or 5432)
    await proxy.start()
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    settings = Settings(
        database_url=proxied, dev_signing_key_path=tmp_path / "key.json", environment="development", log_level="warning"
    )
    outage_container = build_container(settings)
    app = create_app(settings, container=outage_container)
    token = token_for(outage_container, "someone@example.com")
    try:
        async with serving(app) as port:
            assert (await exchange(port, get("/api/v1/skills", token)))[0] == 200
            await proxy.cut()
            down = [await exchange(port, get("/api/v1/skills", token)) for _ in range(4)]
            await proxy.restore()
            up = await exchange(port, get("/api/v1/skills", token))
    finally:
        await outage_container.aclose()
        await proxy.cut()
    for status, headers, body, _, writer in down:
        assert status == 503, body
        assert headers["content-type"] == "application/problem+json" and b"database_unavailable" in body
        assert headers["retry-after"].isdigit() and headers["x-request-id"]
        writer.close()
    assert up[0] == 200
    up[4].close()
    logged = capfd.readouterr().err
    assert logged.count("database_unavailable") == 1  # once per outage, not once per request
    assert "Traceback" not in logged
    assert logged.count("database_recovered") == 1
    # create_app bound the service's log to capfd's stream, closed after this test: later tests that log
    # (a job failing on purpose) would write to a closed file
    configure_logging(settings, stream=sys.__stderr__)
