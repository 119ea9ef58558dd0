"""The processes and databases one benchmark run owns: a fresh database, the ``turnabout`` command
(migrate, seed-demo, dev-token, serve) and the bare app, each started and stopped by this run.

Only public doors are used: the CLI, HTTP and the database server itself, never ``app`` internals.
Every process is started in its own session, so stopping it stops anything it spawned, and every
one is stopped when the run ends, whether it succeeded or failed.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent


def turnabout_command() -> str:
    """The ``turnabout`` script of the environment this benchmark runs in."""
    beside = Path(sys.executable).parent / "turnabout"
    if beside.exists():
        return str(beside)
    raise SystemExit(f"no `turnabout` command next to {sys.executable}: run `make install` first")


@dataclass
class Server:
    """A server process this run started; ``pid`` is the process that answers requests."""

    name: str
    process: subprocess.Popen[bytes]
    base_url: str
    log: Path

    @property
    def worker_pid(self) -> int:
        """The process doing the work: the server itself, or its only worker if it spawned one."""
        children = psutil.Process(self.process.pid).children(recursive=True)
        python = [child for child in children if "python" in child.name().lower()]
        return python[-1].pid if python else self.process.pid

    def rss_mb(self) -> float:
        return round(float(psutil.Process(self.worker_pid).memory_info().rss) / 2**20, 1)

    def settle(self, timeout_s: float = 15.0) -> None:
        """Wait until the worker is idle: requests still in flight when wrk stopped keep a server
        busy for a while, and that work must not land in the next round (of the other server)."""
        process = psutil.Process(self.worker_pid)
        deadline = time.monotonic() + timeout_s
        before = sum(process.cpu_times()[:2])
        while time.monotonic() < deadline:
            time.sleep(0.25)
            now = sum(process.cpu_times()[:2])
            if now - before < 0.01:  # under 4 % of a core over the last quarter second
                return
            before = now

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process.poll() is None:
            # Our own process group (start_new_session): uvicorn and anything it forked.
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)


class Run:
    """Owns the temporary folder, the environment of the ``turnabout`` command, and every process
    started for one backend; ``close()`` (or leaving the ``with``) stops them all."""

    def __init__(self, database_url: str, *, folder: Path) -> None:
        self.folder = folder
        self.turnabout = turnabout_command()
        self.env = {
            **os.environ,
            "TURNABOUT_DATABASE_URL": database_url,
            "TURNABOUT_ENVIRONMENT": "development",
            "TURNABOUT_LOG_LEVEL": "warning",
            "TURNABOUT_DEV_SIGNING_KEY_PATH": str(folder / "dev-signing-key.json"),
        }
        self.env.pop("TURNABOUT_AUTH_ISSUER", None)  # dev tokens need the service to be its own issuer
        self.servers: list[Server] = []
        self._stack = ExitStack()

    def __enter__(self) -> Run:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for server in reversed(self.servers):
            server.stop()
        self.servers.clear()
        self._stack.close()

    def cli(self, *args: str) -> str:
        """Run ``turnabout <args>``; its standard output, or the failure with its output."""
        done = subprocess.run(
            [self.turnabout, *args], cwd=ROOT, env=self.env, capture_output=True, text=True, check=False, timeout=600
        )
        if done.returncode != 0:
            raise RuntimeError(f"`turnabout {' '.join(args[:1])}` failed ({done.returncode}):\n{done.stderr[-3000:]}")
        return done.stdout.strip()

    def serve_turnabout(self, port: int) -> Server:
        self.env["TURNABOUT_PUBLIC_URL"] = f"http://127.0.0.1:{port}"
        command = [self.turnabout, "serve", "--no-migrate", "--host", "127.0.0.1", "--port", str(port)]
        return self._start("turnabout", command, port, health="/healthz", env=self.env)

    def serve_bare(self, port: int, dsn: str) -> Server:
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "bench.bare_app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ]
        env = {**os.environ, "BARE_DATABASE_URL": dsn}
        return self._start("bare", command, port, health="/api/v1/people?limit=1", env=env)

    def _start(self, name: str, command: list[str], port: int, *, health: str, env: dict[str, str]) -> Server:
        ensure_port_free(port)
        log = self.folder / f"{name}-{port}.log"
        handle = self._stack.enter_context(log.open("wb"))
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
        server = Server(name, process, f"http://127.0.0.1:{port}", log)
        self.servers.append(server)
        wait_until_up(server, health)
        return server


def ensure_port_free(port: int) -> None:
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise SystemExit(f"port {port} is taken: choose other ports with --port")


def wait_until_up(server: Server, path: str, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {server.process.returncode}:\n{server.log_tail()}")
        try:
            if httpx.get(server.base_url + path, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{server.name} did not answer {path} within {timeout_s:.0f} s:\n{server.log_tail()}")


# --- databases --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Database:
    """Where one backend's run keeps its data: the SQLAlchemy URL the service reads, and for
    PostgreSQL the plain DSN the bare app connects with."""

    url: str
    dsn: str | None = None


def sqlite_database(folder: Path) -> Database:
    return Database(f"sqlite+aiosqlite:///{folder / 'turnabout.db'}")


async def fresh_postgres(server_dsn: str, name: str) -> Database:
    """Drop and create database ``name`` on the server ``server_dsn`` points to (any database there)."""
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"database name {name!r}: letters, digits and _ only")
    admin = await asyncpg.connect(server_dsn)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    parts = urlsplit(server_dsn)
    dsn = urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
    url = urlunsplit(("postgresql+asyncpg", parts.netloc, f"/{name}", parts.query, ""))
    return Database(url, dsn)


async def drop_postgres(server_dsn: str, name: str) -> None:
    admin = await asyncpg.connect(server_dsn)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


def temporary_folder(stack: ExitStack, label: str) -> Path:
    return Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=f"bench-api-{label}-")))


async def _transactions(dsn: str) -> int:
    connection = await asyncpg.connect(dsn)
    try:
        count = await connection.fetchval(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()"
        )
        return int(count)
    finally:
        await connection.close()


def transactions_so_far(dsn: str) -> int:
    """Transactions committed or rolled back in the database so far, by anyone (each call adds one)."""
    return asyncio.run(_transactions(dsn))
