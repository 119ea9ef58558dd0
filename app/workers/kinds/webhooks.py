"""Webhook job kinds: the delivery lanes and the purge.

- ``webhooks.deliver`` fires every second (once per second across all workers) and is asked for by
  pings, redeliveries and recoveries. A lane fans out what the outbox holds (one message per
  subscribed endpoint), then sends due messages, batch after batch, for up to ``LANE_SECONDS``. A lane
  that finds a full batch asks for the other lanes (``DELIVERY_LANES`` jobs, dedupe keys ``lane-0``…);
  lanes claim disjoint messages, so workers share the load. A lane that sent something looks again every
  20 ms for a second after its last batch, so events committed while it runs leave at once; one that
  found nothing ends at once. Retries fall due on the same beat.
- ``webhooks.purge`` deletes finished messages older than ``TURNABOUT_WEBHOOK_RETENTION_DAYS``, daily.

Nothing is added to the write path: a use case's commit writes its outbox rows and nothing else.
"""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from typing import Any

from prometheus_client import Counter, Gauge, Histogram

from app.adapters.webhooks.sender import AddressGuard, AiohttpWebhookSender
from app.domain.ports import WebhookSender
from app.domain.webhooks import DELIVER_KIND, PURGE_KIND, delivery_requests
from app.services import webhook_delivery
from app.settings import Settings
from app.workers.registry import JobContext, JobKind, register

LANE_SECONDS = 20.0  # then the lane hands over (its job ends; the next one is already asked for)
LANE_IDLE_SECONDS = 1.0  # a lane with nothing to send looks again for this long before it ends
LANE_POLL_SECONDS = 0.02
FAN_OUT_BATCH = 2000
BATCH = 500

DELIVERIES = Counter("turnabout_webhook_deliveries_total", "Webhook delivery attempts", ["outcome"])
LATENCY = Histogram(
    "turnabout_webhook_delivery_seconds",
    "Time for a receiver to answer a delivery",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15),
)
BACKLOG = Gauge("turnabout_webhook_backlog", "Messages waiting for delivery", ["endpoint"])
OLDEST = Gauge("turnabout_webhook_oldest_undelivered_seconds", "Age of the oldest undelivered event")

_senders: dict[int, WebhookSender] = {}


def provide_sender(settings: Settings, sender: WebhookSender) -> None:
    """The process's sender (its connection pools) for runners built on these settings."""
    _senders[id(settings)] = sender


def sender_for(settings: Settings) -> WebhookSender:
    sender = _senders.get(id(settings))
    if sender is None:
        sender = AiohttpWebhookSender(
            guard=AddressGuard(allowed_networks=settings.webhook_allowed_networks),
            timeout_seconds=settings.webhook_timeout_seconds,
            max_connections=settings.webhook_concurrency,
        )
        _senders[id(settings)] = sender
    return sender


async def deliver(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Fan out and send, batch after batch; stay a moment when nothing is due (what is committed
    meanwhile leaves at once instead of waiting for the next job), then hand over."""
    sender = sender_for(ctx.settings)
    now = time.monotonic()
    deadline, idle_until = now + LANE_SECONDS, now
    others_asked = False
    while time.monotonic() < deadline:
        await webhook_delivery.fan_out(ctx.uow(), limit=FAN_OUT_BATCH)
        report = await webhook_delivery.deliver_due(
            ctx.uow, sender, limit=BATCH, concurrency=ctx.settings.webhook_concurrency
        )
        if report.claimed == BATCH and not others_asked:  # a backlog: every lane to work
            others_asked = True
            async with ctx.uow() as uow:
                for request in delivery_requests():
                    uow.jobs.enqueue(request)
                await uow.commit()
        for outcome, count in report.outcomes.items():
            DELIVERIES.labels(outcome=outcome).inc(count)
        for seconds in report.latencies:
            LATENCY.observe(seconds)
        if report.claimed:
            idle_until = time.monotonic() + LANE_IDLE_SECONDS
        elif time.monotonic() >= idle_until:
            break
        else:
            await asyncio.sleep(LANE_POLL_SECONDS)
    await _gauges(ctx)


async def _gauges(ctx: JobContext) -> None:
    async with ctx.uow() as uow:
        backlog = await uow.webhook_messages.backlog()
        now = uow.clock.now()
    BACKLOG.clear()
    oldest = None
    for endpoint_id, count, since in backlog:
        BACKLOG.labels(endpoint=str(endpoint_id)).set(count)
        if since is not None and (oldest is None or since < oldest):
            oldest = since
    OLDEST.set(0 if oldest is None else (now - oldest).total_seconds())


async def purge(ctx: JobContext, payload: dict[str, Any]) -> None:
    await webhook_delivery.purge(ctx.uow(), retention=timedelta(days=ctx.settings.webhook_retention_days))


register(JobKind(DELIVER_KIND, deliver, max_attempts=10, timeout=timedelta(minutes=2), periodic=timedelta(seconds=1)))
register(JobKind(PURGE_KIND, purge, max_attempts=3, timeout=timedelta(minutes=10), periodic=timedelta(days=1)))
