"""Runners built from the container: the server's embedded runner and ``turnabout worker``."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable
from datetime import timedelta

import structlog

from app.bootstrap import Container, build_container
from app.domain.ports import Clock, UnitOfWork
from app.settings import Settings
from app.workers.kinds import webhooks as webhook_kinds
from app.workers.registry import for_queues
from app.workers.runner import Runner

log = structlog.get_logger("turnabout.jobs")


def build_runner(
    container: Container,
    *,
    queues: frozenset[str] | None = None,
    concurrency: int | None = None,
    clock: Clock | None = None,
    new_uow: Callable[[], UnitOfWork] | None = None,
) -> Runner:
    settings = container.settings
    wakeup = container.job_wakeup
    webhook_kinds.provide_sender(settings, container.webhook_sender)  # the container's connection pools
    return Runner(
        store=container.job_store(),
        kinds=for_queues(queues),
        new_uow=new_uow or container.uow,
        clock=clock or container.clock,
        settings=settings,
        concurrency=concurrency or settings.jobs_concurrency,
        lease=timedelta(seconds=settings.jobs_lease_seconds),
        poll_seconds=settings.jobs_poll_seconds,
        grace_seconds=settings.jobs_shutdown_grace_seconds,
        listen=lambda: wakeup.listening(container.engine),
        wakeup_waiter=wakeup.waiter,
    )


async def serve_worker(settings: Settings, *, concurrency: int | None, queues: frozenset[str] | None) -> None:
    """``turnabout worker``: run jobs until SIGTERM or SIGINT, then finish or release the ones in flight."""
    container = build_container(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        runner = build_runner(container, queues=queues, concurrency=concurrency)
        if not runner.kinds:
            raise SystemExit(f"no job kinds in the queues {sorted(queues or ())}")
        await runner.serve(stop)
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
        await container.aclose()
