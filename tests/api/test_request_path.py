"""One transaction per request, an idempotency record that cannot be separated from its create, and
a request path that fails closed: what a client notices when the database, the body or the code
misbehaves."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text

from app.adapters.persistence.tables import ProgramRow
from app.adapters.persistence.transaction import RequestTransaction
from app.domain.actors import Role

API = "/api/v1"
PROGRAM = {"kind": "reciprocal", "name": "Pilot", "cycle_start": "2027-01-11", "cycle_end": "2027-06-30"}


@pytest.fixture
async def hana(org: Any, auth: Any) -> dict[str, str]:
    await org.person("Hana Coordinator")
    return dict(auth(org.email("Hana Coordinator"), Role.COORDINATOR))


@pytest.fixture
async def admin(org: Any, auth: Any) -> dict[str, str]:
    await org.person("Ada Admin")
    return dict(auth(org.email("Ada Admin"), Role.ADMIN))


async def programs_stored(container: Any) -> int:
    table = ProgramRow.__table__  # type: ignore[attr-defined]
    async with container.engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(table))).scalar_one())


def unraised(app: Any) -> httpx.AsyncClient:
    """A client that sees a 500 as a response, as a real client would."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, raise_app_exceptions=False), base_url="http://t")


# --- one transaction per request --------------------------------------------------------------------
async def test_a_create_with_an_idempotency_key_is_one_transaction(client, hana, sql) -> None:
    await client.get(f"{API}/programs", headers=hana)  # warm the identity link
    with sql() as seen:
        created = await client.post(f"{API}/programs", headers={**hana, "Idempotency-Key": "one-tx"}, json=PROGRAM)
    assert created.status_code == 201, created.text
    assert seen.transactions == 1, seen.statements
    with sql() as seen:
        replay = await client.post(f"{API}/programs", headers={**hana, "Idempotency-Key": "one-tx"}, json=PROGRAM)
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert seen.transactions == 1 and not seen.writes, seen.statements


async def test_reads_do_not_wait_for_a_writer_on_sqlite(client, hana, container, backend) -> None:
    if backend != "sqlite":
        pytest.skip("PostgreSQL readers never wait for writers")
    await client.get(f"{API}/programs", headers=hana)
    async with container.engine.connect() as writer:
        await writer.execute(text("SELECT 1"))  # BEGIN IMMEDIATE: this connection holds the write lock
        response = await asyncio.wait_for(client.get(f"{API}/programs", headers=hana), timeout=5)
        assert response.status_code == 200
        await writer.rollback()


# --- Idempotency-Key against faults ------------------------------------------------------------------
async def test_a_failure_after_commit_never_yields_a_second_resource(app, hana, container, monkeypatch) -> None:
    committed = RequestTransaction.complete

    async def commit_then_lose_the_response(self: RequestTransaction) -> None:
        await committed(self)
        raise ConnectionResetError("the connection dropped after COMMIT")

    headers = {**hana, "Idempotency-Key": "after-commit"}
    async with unraised(app) as client:
        await client.get(f"{API}/programs", headers=hana)
        with monkeypatch.context() as patch:
            patch.setattr(RequestTransaction, "complete", commit_then_lose_the_response)
            lost = await client.post(f"{API}/programs", headers=headers, json=PROGRAM)
        assert lost.status_code >= 500
        retried = await client.post(f"{API}/programs", headers=headers, json=PROGRAM)
    assert retried.status_code == 201, retried.text
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert await programs_stored(container) == 1


async def test_a_failure_before_commit_leaves_nothing_and_the_retry_creates_once(
    app, hana, container, monkeypatch
) -> None:
    async def fail_to_commit(self: RequestTransaction) -> None:
        raise ConnectionResetError("the database went away before COMMIT")

    headers = {**hana, "Idempotency-Key": "before-commit"}
    async with unraised(app) as client:
        await client.get(f"{API}/programs", headers=hana)
        with monkeypatch.context() as patch:
            patch.setattr(RequestTransaction, "complete", fail_to_commit)
            failed = await client.post(f"{API}/programs", headers=headers, json=PROGRAM)
        assert failed.status_code >= 500
        assert await programs_stored(container) == 0
        retried = await client.post(f"{API}/programs", headers=headers, json=PROGRAM)
        again = await client.post(f"{API}/programs", headers=headers, json=PROGRAM)
    assert retried.status_code == 201 and "Idempotent-Replayed" not in retried.headers
    assert again.headers["Idempotent-Replayed"] == "true" and again.json()["id"] == retried.json()["id"]
    assert await programs_stored(container) == 1


async def test_concurrent_retries_with_one_key_create_once(client, hana, container) -> None:
    await client.get(f"{API}/programs", headers=hana)
    headers = {**hana, "Idempotency-Key": "racing"}
    answers = await asyncio.gather(*(client.post(f"{API}/programs", headers=headers, json=PROGRAM) for _ in range(4)))
    assert {a.status_code for a in answers} == {201}, [a.text for a in answers]
    assert len({a.json()["id"] for a in answers}) == 1
    assert sum("Idempotent-Replayed" not in a.headers for a in answers) == 1
    assert await programs_stored(container) == 1


# --- failing closed ----------------------------------------------------------------------------------
async def test_a_500_is_counted_carries_the_request_id_and_a_problem(app, hana, monkeypatch) -> None:
    from app.services import skills

    async def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(skills, "list_skills", boom)
    async with unraised(app) as client:
        before = (await client.get("/metrics")).text
        response = await client.get(f"{API}/skills", headers={**hana, "X-Request-ID": "trace-500"})
        after = (await client.get("/metrics")).text
    assert response.status_code == 500
    assert response.headers["X-Request-ID"] == "trace-500"
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["request_id"] == "trace-500"
    label = 'turnabout_http_server_errors_total{code="internal_error",route="/api/v1/skills"}'
    assert _counter(after, label) == _counter(before, label) + 1


async def test_an_unreachable_database_is_a_503_with_retry_after(app, hana, container, monkeypatch) -> None:
    from sqlalchemy.exc import OperationalError

    from app.services import skills

    async def unreachable(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError(111, "Connection refused"))

    async with unraised(app) as client:
        await client.get(f"{API}/skills", headers=hana)
        with monkeypatch.context() as patch:
            patch.setattr(skills, "list_skills", unreachable)
            down = [await client.get(f"{API}/skills", headers=hana) for _ in range(3)]
        up = await client.get(f"{API}/skills", headers=hana)
    for response in down:
        assert response.status_code == 503, response.text
        assert response.json()["code"] == "database_unavailable"
        assert response.headers["Retry-After"].isdigit()
    assert up.status_code == 200
    assert container.database.down_since is None  # recovered, without a restart


async def test_bodies_over_the_limit_are_refused_before_they_are_read(app, hana, container, monkeypatch) -> None:
    from app.main import create_app

    monkeypatch.setattr(container.settings, "max_body_bytes", 4096)
    limited = create_app(container.settings, container=container)  # the limit is read when the app is built
    big = b'{"name": "' + b"x" * 10_000 + b'"}'
    async with unraised(limited) as client:
        declared = await client.post(f"{API}/programs", content=big, headers={"Content-Type": "application/json"})
        assert declared.status_code == 413 and declared.json()["code"] == "body_too_large"

        async def chunks() -> Any:
            for _ in range(10):
                yield b"x" * 1000

        headers = {**hana, "Content-Type": "application/json"}
        streamed = await client.post(f"{API}/programs", content=chunks(), headers=headers)
        assert streamed.status_code == 413 and streamed.json()["code"] == "body_too_large"
    assert await programs_stored(container) == 0


async def test_the_token_is_checked_before_the_body_is_parsed(client) -> None:
    response = await client.post(f"{API}/programs", content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


async def test_a_deactivated_person_loses_access_at_once(client, org, auth, admin) -> None:
    sam = await org.person("Sam Junior")
    headers = auth(org.email("Sam Junior"))
    assert (await client.get(f"{API}/me", headers=headers)).status_code == 200  # cached from here on
    gone = await client.post(f"{API}/people/{sam}/deactivate", headers=admin)
    assert gone.status_code == 200, gone.text
    response = await client.get(f"{API}/me", headers=headers)
    assert response.status_code == 403
    assert response.json()["code"] == "actor_not_a_person"


def _counter(metrics: str, label: str) -> float:
    for line in metrics.splitlines():
        if line.startswith(label):
            return float(line.rsplit(" ", 1)[1])
    return 0.0
