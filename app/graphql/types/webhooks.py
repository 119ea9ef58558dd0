"""Webhook endpoints, their messages and attempts (admins)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry
from strawberry.scalars import JSON

from app.domain import ports
from app.domain import webhooks as webhook_domain
from app.graphql.enums import WebhookAttemptOutcome, WebhookMessageStatus
from app.graphql.types.base import build, enum


@strawberry.type(description="A URL that receives events, signed with the endpoint's secret (Standard Webhooks).")
class WebhookEndpoint:
    id: UUID
    url: str
    event_types: list[str] = strawberry.field(description="Exact types or prefixes (`relationship.*`); empty: all.")
    description: str | None
    enabled: bool
    disabled_reason: str | None = strawberry.field(description="`manual`, `gone` (410) or `failing` (5 days).")
    rate_limit_per_second: int | None
    headers: JSON
    failing_since: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int

    @classmethod
    def of(cls, endpoint: webhook_domain.WebhookEndpoint) -> WebhookEndpoint:
        return build(cls, endpoint, event_types=list(endpoint.event_types), headers=dict(endpoint.headers))


@strawberry.type(description="An endpoint's signing secrets: verify deliveries with them.")
class WebhookSecret:
    endpoint_id: UUID
    secret: str
    previous_secret: str | None
    previous_secret_expires_at: datetime | None

    @classmethod
    def of(cls, endpoint: webhook_domain.WebhookEndpoint) -> WebhookSecret:
        return build(cls, endpoint, endpoint_id=endpoint.id)


@strawberry.type(description="One delivery attempt: time, outcome, status, latency, the first 1 KB of the answer.")
class WebhookAttempt:
    id: UUID
    attempted_at: datetime
    outcome: WebhookAttemptOutcome
    status_code: int | None
    latency_ms: int
    response_excerpt: str
    error: str | None

    @classmethod
    def of(cls, attempt: ports.WebhookAttempt) -> WebhookAttempt:
        return build(cls, attempt, outcome=enum(WebhookAttemptOutcome, attempt.outcome))


@strawberry.type(description="One event for one endpoint; `eventId` is the `webhook-id` of every attempt.")
class WebhookMessage:
    id: UUID
    endpoint_id: UUID
    event_id: UUID
    event_type: str
    occurred_at: datetime
    status: WebhookMessageStatus
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime
    payload: JSON
    attempt_log: list[WebhookAttempt] | None = strawberry.field(
        description="Every attempt (only when the message is asked for by id)."
    )

    @classmethod
    def of(cls, message: ports.WebhookMessage, attempts: list[ports.WebhookAttempt] | None = None) -> WebhookMessage:
        return build(
            cls,
            message,
            status=enum(WebhookMessageStatus, message.status),
            payload=dict(message.payload),
            attempt_log=None if attempts is None else [WebhookAttempt.of(a) for a in attempts],
        )


@strawberry.type(description="How many failed messages were queued again.")
class WebhookRecovery:
    queued: int


@strawberry.type(description="The endpoint was deleted with its messages.")
class WebhookEndpointDeleted:
    id: UUID
