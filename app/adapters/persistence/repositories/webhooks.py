"""Webhook endpoints (an aggregate, tracked like the others) and the message/attempt store the
fan-out, the deliveries and the delivery log share."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import DateTime, String, Table, Uuid, and_, bindparam, delete, func, insert, or_, select, text, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.adapters.persistence.repositories.base import TrackingRepository, chunks, page_of, paginate
from app.adapters.persistence.tables import OutboxRow, WebhookAttemptRow, WebhookEndpointRow, WebhookMessageRow
from app.domain.ports import AttemptResult, Page, PageRequest, WebhookAttempt, WebhookMessage
from app.domain.webhooks import AttemptOutcome, MessageStatus, WebhookEndpoint, subscribes

endpoints: Table = WebhookEndpointRow.__table__  # type: ignore[attr-defined]
messages: Table = WebhookMessageRow.__table__  # type: ignore[attr-defined]
attempts: Table = WebhookAttemptRow.__table__  # type: ignore[attr-defined]
outbox: Table = OutboxRow.__table__  # type: ignore[attr-defined]


_RECORD_BATCH = text(
    "UPDATE webhook_messages AS m SET status = v.status, attempts = m.attempts + 1, "
    "next_attempt_at = v.next_at, last_attempt_at = v.last_at, "
    "delivered_at = COALESCE(v.delivered_at, m.delivered_at) "
    "FROM unnest(CAST(:ids AS uuid[]), CAST(:statuses AS text[]), CAST(:nexts AS timestamptz[]), "
    "CAST(:lasts AS timestamptz[]), CAST(:delivereds AS timestamptz[])) "
    "AS v(id, status, next_at, last_at, delivered_at) "
    "WHERE m.id = v.id"
).bindparams(
    bindparam("ids", type_=postgresql.ARRAY(Uuid())),
    bindparam("statuses", type_=postgresql.ARRAY(String())),
    bindparam("nexts", type_=postgresql.ARRAY(DateTime(timezone=True))),
    bindparam("lasts", type_=postgresql.ARRAY(DateTime(timezone=True))),
    bindparam("delivereds", type_=postgresql.ARRAY(DateTime(timezone=True))),
)


class SqlWebhookEndpointRepository(TrackingRepository[WebhookEndpoint]):
    table = endpoints
    noun = "webhook endpoint"

    def to_values(self, aggregate: WebhookEndpoint) -> dict[str, Any]:
        return {
            "id": aggregate.id,
            "url": aggregate.url,
            "description": aggregate.description,
            "event_types": list(aggregate.event_types),
            "enabled": aggregate.enabled,
            "rate_limit_per_second": aggregate.rate_limit_per_second,
            "headers": dict(aggregate.headers),
            "secret": aggregate.secret,
            "previous_secret": aggregate.previous_secret,
            "previous_secret_expires_at": aggregate.previous_secret_expires_at,
            "failing_since": aggregate.failing_since,
            "disabled_reason": aggregate.disabled_reason,
            "created_at": aggregate.created_at,
            "updated_at": aggregate.updated_at,
            "version": aggregate.version,
        }

    def from_row(self, row: Mapping[str, Any]) -> WebhookEndpoint:
        return endpoint_of(row)

    async def get(self, endpoint_id: UUID) -> WebhookEndpoint | None:
        return await self._load_one(select(endpoints).where(endpoints.c.id == endpoint_id))

    async def get_many(self, ids: Sequence[UUID]) -> dict[UUID, WebhookEndpoint]:
        return await self._load_ids(ids)

    async def delete(self, endpoint_id: UUID) -> None:
        self._seen.pop(endpoint_id, None)
        self._snapshots.pop(endpoint_id, None)
        await self.session.execute(delete(endpoints).where(endpoints.c.id == endpoint_id))

    async def list(self, page: PageRequest) -> Page[WebhookEndpoint]:
        found = await self._load(paginate(select(endpoints), endpoints.c.id, page))
        return page_of(found, page, key=lambda endpoint: endpoint.id)


def endpoint_of(row: Mapping[str, Any]) -> WebhookEndpoint:
    return WebhookEndpoint(
        id=row["id"],
        url=row["url"],
        description=row["description"],
        event_types=list(row["event_types"]),
        enabled=row["enabled"],
        rate_limit_per_second=row["rate_limit_per_second"],
        headers=dict(row["headers"]),
        secret=row["secret"],
        previous_secret=row["previous_secret"],
        previous_secret_expires_at=row["previous_secret_expires_at"],
        failing_since=row["failing_since"],
        disabled_reason=row["disabled_reason"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        version=row["version"],
    )


def _message(row: Mapping[Any, Any]) -> WebhookMessage:
    return WebhookMessage(
        id=row["id"],
        endpoint_id=row["endpoint_id"],
        event_id=row["event_id"],
        event_type=row["event_type"],
        occurred_at=row["occurred_at"],
        payload=dict(row["payload"]),
        status=MessageStatus(row["status"]),
        attempts=row["attempts"],
        next_attempt_at=row["next_attempt_at"],
        last_attempt_at=row["last_attempt_at"],
        delivered_at=row["delivered_at"],
        created_at=row["created_at"],
    )


def _attempt(row: Mapping[Any, Any]) -> WebhookAttempt:
    return WebhookAttempt(
        id=row["id"],
        message_id=row["message_id"],
        endpoint_id=row["endpoint_id"],
        attempted_at=row["attempted_at"],
        outcome=AttemptOutcome(row["outcome"]),
        status_code=row["status_code"],
        latency_ms=row["latency_ms"],
        response_excerpt=row["response_excerpt"],
        error=row["error"],
    )


class SqlWebhookMessageStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def _postgres(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"

    async def fan_out(self, *, now: datetime, limit: int, new_id: Callable[[], UUID]) -> tuple[int, int]:
        pick = (
            select(outbox.c.id, outbox.c.event_type, outbox.c.payload, outbox.c.occurred_at)
            .where(outbox.c.dispatched_at.is_(None))
            .order_by(outbox.c.id)
            .limit(limit)
        )
        if self._postgres:
            pick = pick.with_for_update(skip_locked=True)  # workers fan out disjoint batches
        events = (await self.session.execute(pick)).mappings().all()
        if not events:
            return 0, 0
        targets = (
            await self.session.execute(
                select(endpoints.c.id, endpoints.c.event_types, endpoints.c.created_at).where(endpoints.c.enabled)
            )
        ).all()
        rows = [
            {
                "id": new_id(),
                "endpoint_id": target.id,
                "event_id": event["id"],
                "event_type": event["event_type"],
                "occurred_at": event["occurred_at"],
                "payload": event["payload"],
                "status": MessageStatus.PENDING.value,
                "attempts": 0,
                "next_attempt_at": now,
                "last_attempt_at": None,
                "delivered_at": None,
                "created_at": now,
            }
            for event in events
            for target in targets
            # an endpoint hears of what happens from its creation on, not of the history before it
            if event["occurred_at"] >= target.created_at and subscribes(list(target.event_types), event["event_type"])
        ]
        await self._insert_messages(rows)
        for chunk in chunks([event["id"] for event in events]):
            await self.session.execute(update(outbox).where(outbox.c.id.in_(list(chunk))).values(dispatched_at=now))
        return len(events), len(rows)

    async def _insert_messages(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        statement = (pg_insert if self._postgres else sqlite_insert)(messages).on_conflict_do_nothing(
            index_elements=["endpoint_id", "event_id"]
        )
        for start in range(0, len(rows), 2000):
            await self.session.execute(statement, rows[start : start + 2000])

    async def add(self, message: WebhookMessage) -> None:
        values = {**vars(message), "status": message.status.value}
        await self._insert_messages([values])

    async def claim_due(self, *, now: datetime, lease_until: datetime, limit: int) -> builtins.list[WebhookMessage]:
        enabled = select(endpoints.c.id).where(endpoints.c.enabled).scalar_subquery()
        pick = (
            select(messages)
            .where(
                messages.c.status == MessageStatus.PENDING.value,
                messages.c.next_attempt_at <= now,
                messages.c.endpoint_id.in_(enabled),
            )
            .order_by(messages.c.next_attempt_at)
            .limit(limit)
        )
        if self._postgres:
            pick = pick.with_for_update(skip_locked=True, of=messages)
        found = [_message(row) for row in (await self.session.execute(pick)).mappings().all()]
        for chunk in chunks([message.id for message in found]):
            await self.session.execute(
                update(messages).where(messages.c.id.in_(list(chunk))).values(next_attempt_at=lease_until)
            )
        return found

    async def release(self, message_ids: Sequence[UUID], *, at: datetime) -> None:
        for chunk in chunks(list(message_ids)):
            await self.session.execute(
                update(messages).where(messages.c.id.in_(list(chunk))).values(next_attempt_at=at)
            )

    async def record(self, results: Sequence[AttemptResult]) -> None:
        if not results:
            return
        await self.session.execute(insert(attempts), [vars(result.attempt) for result in results])
        if self._postgres:
            await self._record_postgres(results)
            return
        params = [
            {
                "b_id": result.message_id,
                "v_status": result.status.value,
                "v_next": result.next_attempt_at,
                "v_last": result.attempt.attempted_at,
                "v_delivered": result.attempt.attempted_at if result.status is MessageStatus.DELIVERED else None,
            }
            for result in results
        ]
        await self.session.execute(
            update(messages)
            .where(messages.c.id == bindparam("b_id"))
            .values(
                status=bindparam("v_status"),
                attempts=messages.c.attempts + 1,
                next_attempt_at=bindparam("v_next", type_=messages.c.next_attempt_at.type),
                last_attempt_at=bindparam("v_last", type_=messages.c.last_attempt_at.type),
                delivered_at=func.coalesce(
                    bindparam("v_delivered", type_=messages.c.delivered_at.type), messages.c.delivered_at
                ),
            ),
            params,
        )

    async def _record_postgres(self, results: Sequence[AttemptResult]) -> None:
        """One statement for the whole batch (arrays unnested), not one parameter set per message."""
        delivered = [r.attempt.attempted_at if r.status is MessageStatus.DELIVERED else None for r in results]
        await self.session.execute(
            _RECORD_BATCH,
            {
                "ids": [r.message_id for r in results],
                "statuses": [r.status.value for r in results],
                "nexts": [r.next_attempt_at for r in results],
                "lasts": [r.attempt.attempted_at for r in results],
                "delivereds": delivered,
            },
        )

    async def get(self, message_id: UUID) -> WebhookMessage | None:
        row = (await self.session.execute(select(messages).where(messages.c.id == message_id))).mappings().first()
        return None if row is None else _message(row)

    async def list(self, endpoint_id: UUID, *, status: MessageStatus | None, page: PageRequest) -> Page[WebhookMessage]:
        stmt = select(messages).where(messages.c.endpoint_id == endpoint_id)
        if status is not None:
            stmt = stmt.where(messages.c.status == status.value)
        rows = (await self.session.execute(paginate(stmt, messages.c.id, page))).mappings().all()
        return page_of([_message(row) for row in rows], page, key=lambda message: message.id)

    async def attempts(self, message_id: UUID) -> builtins.list[WebhookAttempt]:
        stmt = select(attempts).where(attempts.c.message_id == message_id).order_by(attempts.c.id)
        return [_attempt(row) for row in (await self.session.execute(stmt)).mappings().all()]

    async def retry(self, message_id: UUID, *, now: datetime) -> None:
        await self.session.execute(
            update(messages)
            .where(messages.c.id == message_id)
            .values(status=MessageStatus.PENDING.value, next_attempt_at=now)
        )

    async def retry_failed_since(self, endpoint_id: UUID, *, since: datetime, now: datetime) -> int:
        result = await self.session.execute(
            update(messages)
            .where(
                messages.c.endpoint_id == endpoint_id,
                messages.c.status == MessageStatus.FAILED.value,
                messages.c.created_at >= since,
            )
            .values(status=MessageStatus.PENDING.value, next_attempt_at=now)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def give_up_pending(self, endpoint_id: UUID) -> int:
        result = await self.session.execute(
            update(messages)
            .where(messages.c.endpoint_id == endpoint_id, messages.c.status == MessageStatus.PENDING.value)
            .values(status=MessageStatus.FAILED.value, next_attempt_at=None)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def backlog(self) -> builtins.list[tuple[UUID, int, datetime | None]]:
        stmt = (
            select(messages.c.endpoint_id, func.count(), func.min(messages.c.occurred_at))
            .where(messages.c.status == MessageStatus.PENDING.value)
            .group_by(messages.c.endpoint_id)
        )
        return [(row[0], int(row[1]), row[2]) for row in (await self.session.execute(stmt)).all()]

    async def purge(self, *, before: datetime) -> int:
        finished = and_(
            messages.c.status != MessageStatus.PENDING.value,
            or_(
                messages.c.delivered_at < before,
                and_(messages.c.delivered_at.is_(None), messages.c.created_at < before),
            ),
        )
        ids = [row.id for row in await self.session.execute(select(messages.c.id).where(finished))]
        for chunk in chunks(ids):
            await self.session.execute(delete(attempts).where(attempts.c.message_id.in_(list(chunk))))
            await self.session.execute(delete(messages).where(messages.c.id.in_(list(chunk))))
        return len(ids)
