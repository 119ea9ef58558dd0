"""Feedback over time: ``checkins.sweep`` (hourly: check-ins becoming due after meeting N and every D
days, missed ones closed and fed to health) and ``surveys.schedule`` (at a survey's opening and
closing times, enqueued by the use cases that set them)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import structlog

from app.services.checkins import CHECKIN_SWEEP_JOB, make_checkins_due
from app.services.surveys import SCHEDULE_JOB, move_on_schedule
from app.workers.registry import JobContext, JobKind, register

log = structlog.get_logger("turnabout.jobs")


async def sweep_checkins(ctx: JobContext, payload: dict[str, Any]) -> None:
    changed = await make_checkins_due(ctx.uow)
    log.info("checkin_sweep_done", changed=changed)


async def move_surveys(ctx: JobContext, payload: dict[str, Any]) -> None:
    moved = await move_on_schedule(ctx.uow)
    log.info("survey_schedule_done", moved=moved)


register(
    JobKind(
        CHECKIN_SWEEP_JOB, sweep_checkins, max_attempts=3, timeout=timedelta(minutes=30), periodic=timedelta(hours=1)
    )
)
register(JobKind(SCHEDULE_JOB, move_surveys, max_attempts=5, timeout=timedelta(minutes=10)))
