"""Shared fixtures: every integration and API test runs on SQLite, and on PostgreSQL too when
``TURNABOUT_TEST_DATABASE_URL`` names a PostgreSQL database (``make test`` and CI set it).

The schema is built once per backend by the real Alembic migrations; each test then starts from
empty tables (rows are deleted after it), so tests never see each other's data. Under ``pytest -n N``
(pytest-xdist, what ``make test`` runs) each worker process has databases of its own: the PostgreSQL
names carry the worker's id, the SQLite files live in the worker's own temporary folder.
"""

from __future__ import annotations

import asyncio
import fcntl
import hashlib
import os
import re
import subprocess
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from app.adapters.auth.tokens import issue_dev_token
from app.adapters.persistence.migrations import upgrade
from app.adapters.persistence.tables import metadata
from app.bootstrap import Container, build_container
from app.domain.actors import Actor, Role
from app.domain.people import PersonDetails
from app.main import create_app
from app.settings import Settings

PG_URL = os.environ.get("TURNABOUT_TEST_DATABASE_URL", "").strip()
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def pytest_report_header() -> str:
    return f"turnabout backends: {', '.join(BACKENDS)}"


async def _reset_postgres(url: str) -> None:
    parsed = make_url(url)
    admin = create_async_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            exists = await connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": parsed.database}
            )
            if not exists:
                await connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    finally:
        await admin.dispose()
    engine = create_async_engine(parsed)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()


def database_url_for(backend: str, directory: Path, name: str = "test") -> str:
    if backend == "sqlite":
        return f"sqlite+aiosqlite:///{directory / f'{name}.db'}"
    if not PG_URL:
        pytest.skip("no PostgreSQL configured (TURNABOUT_TEST_DATABASE_URL)")
    parsed = make_url(PG_URL)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", … under pytest -n
    database = f"{parsed.database}_{name}" + (f"_{worker}" if worker else "")
    return str(parsed.set(database=database).render_as_string(hide_password=False))


async def fresh_database(backend: str, directory: Path, name: str = "test") -> str:
    url = database_url_for(backend, directory, name)
    if backend == "postgresql":
        await _reset_postgres(url)
    return url


def npm_ci(directory: Path, package: str) -> None:
    """``npm ci`` in ``directory`` unless ``package`` is installed there already — one process at a
    time (with ``pytest -n`` two workers may need the same folder at once)."""
    digest = hashlib.sha256(str(directory.resolve()).encode()).hexdigest()[:16]
    lock_path = Path(tempfile.gettempdir()) / f"turnabout-npm-{digest}.lock"
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (directory / "node_modules" / package).exists():
            command = ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"]
            subprocess.run(command, cwd=directory, check=True, timeout=300)


@pytest.fixture
def empty_database(backend: str, tmp_path: Path) -> Callable[[str], Awaitable[str]]:
    """``await empty_database("stairway")`` → the URL of an empty database of its own (never
    migrated), beside the shared test schema, which it never disturbs."""

    async def make(name: str) -> str:
        return await fresh_database(backend, tmp_path, name)

    return make


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
async def container(backend: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Container]:
    directory = tmp_path_factory.mktemp(f"db-{backend}")
    url = await fresh_database(backend, directory)
    await asyncio.to_thread(upgrade, url)
    settings = Settings(
        database_url=url,
        dev_signing_key_path=directory / "dev-key.json",
        environment="development",
        log_level="warning",
        jobs_embedded=False,  # tests run jobs with `run_jobs`, at the time they choose
    )
    built = build_container(settings)
    yield built
    await built.aclose()


@pytest.fixture(autouse=True)
async def _clean_tables(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    yield
    if "container" not in request.fixturenames:
        return
    built: Container = request.getfixturevalue("container")
    async with built.engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            await connection.execute(table.delete())
    # People are never deleted in production (they are deactivated, which drops their cached links);
    # here every table was emptied, so the cached identity links go too.
    built.actors.clear()
    built.api_keys.clear()
    built.throttle.clear()


@pytest.fixture(scope="session")
def app(container: Container) -> Any:
    """One app per backend: building FastAPI's routes costs ~30 ms, and the app keeps no state of
    its own between requests (everything lives in the container and the database)."""
    return create_app(container.settings, container=container)


class DocumentedProblems:
    """Holds the OpenAPI document to its word: every problem a test provokes must carry a code the
    answering operation lists in ``x-problem-codes`` (and so in its documented responses)."""

    def __init__(self, app: Any) -> None:
        self.routes = [
            (method.upper(), re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$"), operation)
            for path, item in app.openapi()["paths"].items()
            for method, operation in item.items()
        ]

    async def __call__(self, response: httpx.Response) -> None:
        if response.headers.get("content-type") != "application/problem+json":
            return
        await response.aread()
        code = response.json()["code"]
        request = response.request
        for method, pattern, operation in self.routes:
            if method == request.method and pattern.match(request.url.path):
                assert code in operation["x-problem-codes"], (
                    f"{operation['operationId']} answered `{code}`, which it does not document: "
                    "add it to its router's module in app/api/operation_problems/"
                )
                return


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    hooks = {"response": [DocumentedProblems(app)]}
    async with httpx.AsyncClient(transport=transport, base_url="http://test", event_hooks=hooks) as http:
        yield http


class Tokens:
    def __init__(self, container: Container) -> None:
        self.container = container

    def __call__(
        self, email: str, *roles: Role, ttl: int = 600, scopes: tuple[str, ...] = (), **claims: Any
    ) -> dict[str, str]:
        """A token of the development issuer; ``scopes`` go in the scope claim (an integration's)."""
        settings = self.container.settings
        assert self.container.dev_key is not None
        token = issue_dev_token(
            self.container.dev_key,
            issuer=settings.effective_issuer,
            audience=settings.auth_audience,
            email=email,
            roles=roles or (Role.EMPLOYEE,),
            ttl_seconds=ttl,
            subject=claims.pop("sub", None),
            extra={**({"scope": " ".join(scopes)} if scopes else {}), **claims},
        )
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def auth(container: Container) -> Tokens:
    """``auth("ada@example.com", Role.ADMIN)`` → headers with a bearer token."""
    return Tokens(container)


ADMIN = Actor(subject="test-admin", issuer="test", email="admin@example.com", roles=frozenset({Role.ADMIN}))


class Org:
    """Builds people straight through the services, for tests that need a cast."""

    def __init__(self, container: Container) -> None:
        self.container = container
        self._n = 0

    async def person(self, name: str, **fields: Any) -> UUID:
        from app.services import people

        self._n += 1
        given, _, family = name.partition(" ")
        values = {
            "email": f"{name.lower().replace(' ', '.')}@example.com",
            "given_name": given,
            "family_name": family or "Test",
            "department": "Engineering",
            "location": "Leeds",
            "seniority": 3,
            **fields,
        }
        created = await people.create_person(self.container.uow(), ADMIN, details=PersonDetails(**values))
        return created.id

    @staticmethod
    def email(name: str) -> str:
        return f"{name.lower().replace(' ', '.')}@example.com"


@pytest.fixture
def org(container: Container) -> Org:
    return Org(container)


_WRITE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.IGNORECASE)


@dataclass
class SqlLog:
    """What the database saw: every statement sent (with how many parameter sets: more than one for
    a batch), and how many transactions were opened."""

    statements: list[str] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    transactions: int = 0

    @property
    def writes(self) -> list[str]:
        return [s for s in self.statements if s.lstrip().split(None, 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}]

    def table_writes(self, table: str) -> list[tuple[str, int]]:
        """("INSERT" | "UPDATE" | "DELETE", rows) of every write to ``table``, in order."""
        found = []
        for statement, rows in zip(self.statements, self.rows, strict=True):
            write = _WRITE.match(statement)
            if write is not None and write.group(2) == table:
                found.append((write.group(1).split()[0].upper(), rows))
        return found

    def rows_written(self, kind: str, table: str) -> int:
        return sum(rows for k, rows in self.table_writes(table) if k == kind)


@contextmanager
def recording(engine: Any) -> Iterator[SqlLog]:
    log = SqlLog()

    def statement(connection: Any, cursor: Any, sql: str, parameters: Any, context: Any, many: bool) -> None:
        log.statements.append(sql)
        log.rows.append(len(parameters) if many else 1)

    def begin(connection: Any) -> None:
        log.transactions += 1

    event.listen(engine.sync_engine, "before_cursor_execute", statement)
    event.listen(engine.sync_engine, "begin", begin)
    try:
        yield log
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", statement)
        event.remove(engine.sync_engine, "begin", begin)


@pytest.fixture
def sql(container: Container) -> Callable[[], Any]:
    """``with sql() as seen: ...`` → ``seen.statements``, ``seen.transactions``, ``seen.writes``,
    ``seen.table_writes("meetings")``."""
    return lambda: recording(container.engine)


class TestClock:
    """Real time until a test sets it; then it moves only when told (``set``, ``advance``)."""

    def __init__(self) -> None:
        self.fixed: datetime | None = None

    def now(self) -> datetime:
        return self.fixed if self.fixed is not None else datetime.now(UTC)

    def set(self, when: datetime) -> None:
        self.fixed = when

    def advance(self, delta: timedelta) -> datetime:
        self.fixed = self.now() + delta
        return self.fixed


class JobDriver:
    """``await run_jobs()`` runs every due job (and the jobs those enqueue) to completion against the
    test database, at ``run_jobs.clock``'s time; it answers what each attempt came to. The handlers'
    units of work share that clock. ``await run_jobs(at=...)`` or ``run_jobs.clock.advance(...)``
    moves time first (retries and periodic kinds fall due that way). ``run_jobs.periodic = False``
    leaves the periodic kinds (e.g. the hourly health sweep) out, for tests about other jobs. Kinds
    that run in processes of their own in production (``isolated``) run in the test's process here."""

    def __init__(self, container: Container) -> None:
        self.container = container
        self.clock = TestClock()
        self.periodic = True

    def uow(self) -> Any:
        from app.adapters.persistence.unit_of_work import SqlUnitOfWork

        built = self.container
        return SqlUnitOfWork(built.session_factory, clock=self.clock, ids=built.ids, listeners=built.listeners)

    def runner(self) -> Any:
        from app.workers.process import build_runner

        runner = build_runner(self.container, clock=self.clock, new_uow=self.uow, concurrency=1)
        runner.jitter = lambda: 0.5
        runner.periodic = self.periodic
        runner.isolate = False  # isolated kinds run here, under the test's clock and monkeypatches
        return runner

    async def __call__(self, *, at: datetime | None = None) -> list[Any]:
        if at is not None:
            self.clock.set(at)
        return list(await self.runner().run_due())


@pytest.fixture
def run_jobs(container: Container) -> JobDriver:
    return JobDriver(container)
