"""Getting events out: the fan-out from the outbox into messages, and the delivery of due messages.

Both are run by the job runner (``app/workers/kinds/webhooks.py``), never by a request. A delivery
batch is three steps so that no transaction stays open while receivers answer:

1. claim due messages (moved past a lease, so another worker does not take them too);
2. POST them, concurrently, each endpoint paced to its rate limit;
3. record every attempt, the next attempt's time (the retry schedule with jitter, or the receiver's
   ``Retry-After``), and the endpoints' health: ``410 Gone`` or five days of failures disable one
   (``webhook_endpoint.disabled``, delivered to the other endpoints).

A worker that dies between 1 and 3 leaves its messages claimed until the lease ends; they are then
sent again with the same ``webhook-id``: delivery is at least once.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from app.domain.ports import AttemptResult, SendResult, UnitOfWork, WebhookAttempt, WebhookMessage, WebhookSender
from app.domain.webhooks import AttemptOutcome, MessageStatus, WebhookEndpoint, envelope, retry_delay

# A claimed message is left alone this long: the longest send (timeout) and recording fit in it.
LEASE = timedelta(seconds=120)
# A rate-limited endpoint gets at most this many seconds' worth of messages per batch.
PACE_WINDOW_SECONDS = 10


@dataclass(frozen=True)
class BatchReport:
    claimed: int = 0
    delivered: int = 0
    failed: int = 0
    disabled: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)  # attempts by outcome
    latencies: list[float] = field(default_factory=list)  # seconds, one per attempt that was sent


async def fan_out(uow: UnitOfWork, *, limit: int = 2000) -> tuple[int, int]:
    """Turn undispatched outbox events into messages: (events taken, messages written)."""
    async with uow:
        done = await uow.webhook_messages.fan_out(now=uow.clock.now(), limit=limit, new_id=uow.ids.new_id)
        await uow.commit()
        return done


def _paced(
    batch: list[WebhookMessage], endpoints: dict[UUID, WebhookEndpoint], now: datetime
) -> tuple[list[WebhookMessage], list[WebhookMessage]]:
    """The messages this batch sends, and the surplus of rate-limited endpoints to give back."""
    keep: list[WebhookMessage] = []
    surplus: list[WebhookMessage] = []
    seen: dict[UUID, int] = defaultdict(int)
    for message in batch:
        endpoint = endpoints.get(message.endpoint_id)
        if endpoint is None:
            continue
        limit = endpoint.rate_limit_per_second
        if limit is not None and seen[message.endpoint_id] >= limit * PACE_WINDOW_SECONDS:
            surplus.append(message)
            continue
        seen[message.endpoint_id] += 1
        keep.append(message)
    return keep, surplus


async def deliver_due(
    uow_factory: Callable[[], UnitOfWork],
    sender: WebhookSender,
    *,
    limit: int = 500,
    concurrency: int = 64,
    rng: random.Random | None = None,
) -> BatchReport:
    """Send one batch of due messages and record what happened."""
    rng = rng or random.Random()  # noqa: S311 (jitter, not a secret)
    async with uow_factory() as uow:
        now = uow.clock.now()
        batch = await uow.webhook_messages.claim_due(now=now, lease_until=now + LEASE, limit=limit)
        if not batch:
            return BatchReport()
        endpoints = await uow.webhook_endpoints.get_many(list({m.endpoint_id for m in batch}))
        batch, surplus = _paced(batch, endpoints, now)
        if surplus:
            await uow.webhook_messages.release([m.id for m in surplus], at=now + timedelta(seconds=PACE_WINDOW_SECONDS))
        await uow.commit()
    gate = asyncio.Semaphore(concurrency)
    started = asyncio.get_running_loop().time()
    position: dict[UUID, int] = defaultdict(int)

    async def send(message: WebhookMessage) -> SendResult:
        endpoint = endpoints[message.endpoint_id]
        if endpoint.rate_limit_per_second:  # the k-th message of an endpoint waits k / rate seconds
            slot = position[endpoint.id]
            position[endpoint.id] += 1
            delay = started + slot / endpoint.rate_limit_per_second - asyncio.get_running_loop().time()
            if delay > 0:
                await asyncio.sleep(delay)
        body = envelope(message.event_type, message.occurred_at, dict(message.payload))
        async with gate:
            return await sender.send(
                endpoint.url,
                body=body,
                message_id=str(message.event_id),
                secrets=endpoint.signing_secrets(now),
                headers=endpoint.headers,
            )

    sent = await asyncio.gather(*(send(message) for message in batch))
    return await _record(uow_factory, list(zip(batch, sent, strict=True)), rng)


async def _record(
    uow_factory: Callable[[], UnitOfWork], outcomes: list[tuple[WebhookMessage, SendResult]], rng: random.Random
) -> BatchReport:
    delivered = failed = 0
    async with uow_factory() as uow:
        now = uow.clock.now()
        endpoints = await uow.webhook_endpoints.get_many(list({message.endpoint_id for message, _ in outcomes}))
        disabled: set[UUID] = set()
        for endpoint in endpoints.values():
            results = [result for message, result in outcomes if message.endpoint_id == endpoint.id]
            if any(r.outcome is AttemptOutcome.SUCCESS for r in results):
                endpoint.delivered()
            gone = any(r.status_code == 410 for r in results)
            if (gone or not any(r.outcome is AttemptOutcome.SUCCESS for r in results)) and endpoint.failed(
                now=now, gone=gone
            ):
                disabled.add(endpoint.id)
        records: list[AttemptResult] = []
        for message, result in outcomes:
            attempt = WebhookAttempt(
                id=uow.ids.new_id(),
                message_id=message.id,
                endpoint_id=message.endpoint_id,
                attempted_at=now,
                outcome=result.outcome,
                status_code=result.status_code,
                latency_ms=result.latency_ms,
                response_excerpt=result.response_excerpt,
                error=result.error,
            )
            if result.outcome is AttemptOutcome.SUCCESS:
                delivered += 1
                records.append(AttemptResult(message.id, attempt, MessageStatus.DELIVERED, None))
                continue
            failed += 1
            wait = retry_delay(message.attempts + 1, retry_after=result.retry_after, rng=rng)
            if wait is None or message.endpoint_id in disabled:
                records.append(AttemptResult(message.id, attempt, MessageStatus.FAILED, None))
            else:
                records.append(AttemptResult(message.id, attempt, MessageStatus.PENDING, now + wait))
        await uow.webhook_messages.record(records)
        for endpoint_id in disabled:
            await uow.webhook_messages.give_up_pending(endpoint_id)
        await uow.commit()
    return BatchReport(
        claimed=len(outcomes),
        delivered=delivered,
        failed=failed,
        disabled=len(disabled),
        outcomes=dict(Counter(result.outcome.value for _, result in outcomes)),
        latencies=[result.latency_ms / 1000 for _, result in outcomes if result.status_code is not None],
    )


async def purge(uow: UnitOfWork, *, retention: timedelta) -> int:
    """Delete delivered and failed messages (and their attempts) older than the retention."""
    async with uow:
        removed = await uow.webhook_messages.purge(before=uow.clock.now() - retention)
        await uow.commit()
        return removed
