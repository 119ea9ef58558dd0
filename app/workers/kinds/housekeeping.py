"""``housekeeping.purge``: hourly, expired idempotency records and dispatched outbox rows past their
retention are deleted (``app.services.housekeeping``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import structlog

from app.services.housekeeping import PURGE_JOB, purge_expired
from app.workers.registry import JobContext, JobKind, register

log = structlog.get_logger("turnabout.jobs")


async def purge(ctx: JobContext, payload: dict[str, Any]) -> None:
    purged = await purge_expired(
        ctx.uow,
        idempotency_ttl=timedelta(hours=ctx.settings.idempotency_ttl_hours),
        outbox_retention=timedelta(days=ctx.settings.outbox_retention_days),
    )
    log.info("housekeeping_done", idempotency_records=purged.idempotency_records, outbox_rows=purged.outbox_rows)


register(JobKind(PURGE_JOB, purge, max_attempts=3, timeout=timedelta(minutes=30), periodic=timedelta(hours=1)))
