"""Outbound webhooks: endpoints, one message per (endpoint, event), and every delivery attempt.

A message keeps its own copy of the event's payload, so it can be replayed after the outbox row is
trimmed; ``(endpoint_id, event_id)`` is unique, which makes the fan-out idempotent: an outbox row
fanned out twice (a worker killed between insert and marking) yields one message per endpoint.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.adapters.persistence.tables.base import fk, json_column, utc_column


class WebhookEndpointRow(SQLModel, table=True):
    __tablename__ = "webhook_endpoints"

    id: UUID = Field(primary_key=True)
    url: str = Field(max_length=2000)
    description: str | None = Field(default=None, max_length=500)
    event_types: list[str] = json_column(list)
    enabled: bool = True
    rate_limit_per_second: int | None = None
    headers: dict[str, str] = json_column(dict)
    # HMAC keys: the service must sign with them, so they are kept (not hashed).
    secret: str = Field(max_length=100)
    previous_secret: str | None = Field(default=None, max_length=100)
    previous_secret_expires_at: datetime | None = utc_column(nullable=True)
    failing_since: datetime | None = utc_column(nullable=True)
    disabled_reason: str | None = Field(default=None, max_length=20)
    created_at: datetime = utc_column()
    updated_at: datetime = utc_column()
    version: int = 1


class WebhookMessageRow(SQLModel, table=True):
    __tablename__ = "webhook_messages"
    __table_args__ = (
        UniqueConstraint("endpoint_id", "event_id"),
        Index("ix_webhook_messages_due", "status", "next_attempt_at"),
        Index("ix_webhook_messages_endpoint", "endpoint_id", "id"),
    )

    id: UUID = Field(primary_key=True)
    endpoint_id: UUID = fk("webhook_endpoints.id", index=False, ondelete="CASCADE")
    event_id: UUID  # the outbox id: the webhook-id
    event_type: str = Field(max_length=100)
    occurred_at: datetime = utc_column()
    payload: dict[str, Any] = json_column(dict)
    status: str = Field(max_length=20)  # pending | delivered | failed
    attempts: int = 0
    # When the next attempt is due; a worker that claims the message moves it past its lease.
    next_attempt_at: datetime | None = utc_column(nullable=True)
    last_attempt_at: datetime | None = utc_column(nullable=True)
    delivered_at: datetime | None = utc_column(nullable=True)
    created_at: datetime = utc_column(index=True)


class WebhookAttemptRow(SQLModel, table=True):
    __tablename__ = "webhook_attempts"
    __table_args__ = (Index("ix_webhook_attempts_message", "message_id", "id"),)

    id: UUID = Field(primary_key=True)
    message_id: UUID = fk("webhook_messages.id", index=False, ondelete="CASCADE")
    endpoint_id: UUID = fk("webhook_endpoints.id", ondelete="CASCADE")
    attempted_at: datetime = utc_column(index=True)
    outcome: str = Field(max_length=20)
    status_code: int | None = None
    latency_ms: int
    response_excerpt: str = Field(default="", sa_type=Text)
    error: str | None = Field(default=None, max_length=500)
