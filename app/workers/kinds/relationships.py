"""``relationships.health_sweep``: every live relationship re-judged each hour (health moves by the
day; an hour keeps an alarm within an hour of the moment it became true)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import structlog

from app.services.health_sweep import SWEEP_JOB, sweep_health
from app.workers.registry import JobContext, JobKind, register

log = structlog.get_logger("turnabout.jobs")


async def sweep(ctx: JobContext, payload: dict[str, Any]) -> None:
    result = await sweep_health(ctx.uow)
    log.info("health_sweep_done", judged=result.judged, changed=result.changed)


register(JobKind(SWEEP_JOB, sweep, max_attempts=3, timeout=timedelta(minutes=30), periodic=timedelta(hours=1)))
