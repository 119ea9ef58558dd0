"""Cross-cutting tables: the transactional outbox and idempotency records."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.adapters.persistence.tables.base import fk, json_column, utc_column


class OutboxRow(SQLModel, table=True):
    """One domain event, written in the transaction that caused it; the webhook dispatcher drains it."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "dispatched_at", "id"),)

    id: UUID = Field(primary_key=True)  # UUIDv7: ordered, and the stable webhook-id
    event_type: str = Field(max_length=100, index=True)
    payload: dict[str, Any] = json_column(dict)
    occurred_at: datetime = utc_column()
    dispatched_at: datetime | None = utc_column(nullable=True)


class IdempotencyRow(SQLModel, table=True):
    """The first response to a create sent with an Idempotency-Key, replayed for retries."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("actor_key", "key"),)

    id: UUID = Field(primary_key=True)
    actor_key: str = Field(max_length=800)
    key: str = Field(max_length=255)
    method: str = Field(max_length=10)
    path: str = Field(max_length=2000)
    request_hash: str = Field(max_length=64)
    state: str = Field(max_length=20)  # in_progress | completed
    response_status: int | None = None
    response_body: Any = json_column(dict)
    response_headers: dict[str, str] = json_column(dict)
    created_at: datetime = utc_column(index=True)


class ApiKeyRow(SQLModel, table=True):
    """An integration's API key: the public prefix and the SHA-256 of the whole key, never the key."""

    __tablename__ = "api_keys"

    id: UUID = Field(primary_key=True)
    name: str = Field(max_length=120)
    prefix: str = Field(max_length=16, unique=True)
    secret_hash: str = Field(max_length=64)
    scopes: list[str] = json_column(list)
    created_by: UUID | None = fk("people.id", nullable=True, index=False, ondelete="SET NULL")
    created_at: datetime = utc_column()
    expires_at: datetime | None = utc_column(nullable=True)
    revoked_at: datetime | None = utc_column(nullable=True)
    last_used_at: datetime | None = utc_column(nullable=True)
