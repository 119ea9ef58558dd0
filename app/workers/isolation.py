"""Kinds marked ``isolated`` (matching solves) run each attempt in a process of their own.

Such a job reads and writes thousands of rows and computes over them (a 10,000-person pool is loaded,
solved, scored for fairness and saved): in the runner's process that would hold its event loop — the
server's own loop in the embedded mode — for seconds. The child process builds its own container
(engine, units of work) from the runner's settings, runs the handler on its own event loop, and
reports how the attempt ended through a pipe; the parent only waits, so it keeps answering requests
and renewing leases. Cancelling the attempt (timeout, shutdown) kills the child.

Children start from a ``forkserver`` that has imported the application once (``spawn`` where the
platform has no fork), never from a plain ``fork`` of a process running an event loop.
"""

from __future__ import annotations

import asyncio
import importlib
import multiprocessing
from datetime import timedelta
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext, SpawnContext
from typing import Any
from uuid import UUID

from app.domain.jobs import summarise_error
from app.settings import Settings
from app.workers.registry import JobKind, RetryLater

_context: ForkServerContext | SpawnContext | None = None


class ChildFailed(Exception):
    """The attempt failed in its process (the message is the child's summary of its error)."""


def _process_context() -> ForkServerContext | SpawnContext:
    global _context
    if _context is None:
        if "forkserver" in multiprocessing.get_all_start_methods():
            server = multiprocessing.get_context("forkserver")
            server.set_forkserver_preload(["app.bootstrap", "app.workers.kinds", "app.workers.isolation"])
            _context = server
        else:  # pragma: no cover - platforms without fork
            _context = multiprocessing.get_context("spawn")
    return _context


def warm_up() -> None:
    """Start the forkserver now (it imports the application once), so that the first isolated job
    does not wait for it. Blocking: call it in a thread."""
    process = _process_context().Process(target=_noop)
    process.start()
    process.join()


def _noop() -> None:
    return None


def _child(
    channel: Connection,
    settings: dict[str, Any],
    kind_name: str,
    module: str,
    payload: dict[str, Any],
    job_id: str,
    attempt: int,
) -> None:
    from app.bootstrap import build_container
    from app.workers.registry import JobContext, kinds

    try:
        importlib.import_module(module)  # the module that registers the kind
        kind = kinds()[kind_name]
        built = Settings(**settings)

        async def attempt_once() -> None:
            container = build_container(built)
            try:
                context = JobContext(
                    uow=container.uow, clock=container.clock, settings=built, job_id=UUID(job_id), attempt=attempt
                )
                await kind.handler(context, payload)
            finally:
                await container.aclose()

        asyncio.run(attempt_once())
    except RetryLater as later:
        channel.send(("later", later.after.total_seconds(), later.reason))
    except BaseException as error:  # reported to the runner, which records the failed attempt
        channel.send(("error", summarise_error(error), ""))
    else:
        channel.send(("ok", 0.0, ""))
    finally:
        channel.close()


def _receive(channel: Connection) -> tuple[str, float, str] | None:
    try:
        message: tuple[str, float, str] = channel.recv()
        return message
    except (EOFError, OSError):
        return None


async def run_in_child(
    kind: JobKind, settings: Settings, *, payload: dict[str, Any], job_id: UUID, attempt: int
) -> None:
    """Run one attempt of ``kind`` in a process of its own; raises ``RetryLater`` or ``ChildFailed``
    as the child reports, ``ChildFailed`` too when the child died without a word."""
    context = _process_context()
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(
        target=_child,
        args=(
            sending,
            settings.model_dump(mode="json"),
            kind.name,
            kind.handler.__module__,
            payload,
            str(job_id),
            attempt,
        ),
        name=f"job:{kind.name}:{job_id}",
    )
    # Starting waits for the forkserver (the first time: while it imports the application), so it
    # happens off the event loop.
    await asyncio.to_thread(process.start)
    sending.close()  # only the child writes: its death closes the pipe
    try:
        message = await asyncio.to_thread(_receive, receiving)
    finally:
        if process.is_alive() and (process.exitcode is None):
            process.kill()
        await asyncio.to_thread(process.join, 10)
        receiving.close()
    if message is None:
        raise ChildFailed(f"the job's process ended without a result (exit code {process.exitcode})")
    outcome, seconds, text = message
    if outcome == "later":
        raise RetryLater(timedelta(seconds=seconds), text)
    if outcome == "error":
        raise ChildFailed(text)
