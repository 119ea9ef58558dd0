from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field

from app.api.schemas.base import Input, Output, PatchInput
from app.domain.ports import WebhookAttempt, WebhookMessage
from app.domain.webhooks import AttemptOutcome, MessageStatus, WebhookEndpoint

EventTypes = Annotated[
    list[Annotated[str, Field(max_length=100)]],
    Field(
        max_length=100,
        description="Exact event types or prefixes such as `relationship.*`; empty receives every event.",
        examples=[["relationship.*", "program.status_changed"]],
    ),
]
Headers = Annotated[dict[str, str], Field(description="Sent with every delivery (up to 20; not the webhook-* ones).")]
RateLimit = Annotated[int, Field(description="Deliveries per second at most (1–10,000), per worker process.")]


class EndpointCreate(Input):
    url: Annotated[str, Field(max_length=2000, examples=["https://hr.example.com/turnabout/webhooks"])]
    event_types: EventTypes = Field(default_factory=list)
    description: Annotated[str | None, Field(max_length=500)] = None
    enabled: bool = True
    rate_limit_per_second: RateLimit | None = None
    headers: Headers = Field(default_factory=dict)


class EndpointUpdate(PatchInput):
    """Only the fields sent change; ``null`` removes the description or the rate limit."""

    NULLABLE = frozenset({"description", "rate_limit_per_second"})

    url: Annotated[str | None, Field(max_length=2000)] = None
    event_types: EventTypes | None = None
    description: Annotated[str | None, Field(max_length=500, description="`null` removes it.")] = None
    enabled: bool | None = None
    rate_limit_per_second: Annotated[RateLimit | None, Field(description="`null` removes the limit.")] = None
    headers: Headers | None = None


class RotateIn(Input):
    grace_seconds: Annotated[
        int, Field(ge=0, le=7 * 86400, description="How long the old secret keeps signing (default 24 h).")
    ] = 86400


class RecoverIn(Input):
    since: Annotated[datetime, Field(description="Failed messages created at or after this time are sent again.")]


class EndpointOut(Output):
    id: UUID
    url: str
    event_types: list[str]
    description: str | None
    enabled: bool
    disabled_reason: Annotated[str | None, Field(description="`manual`, `gone` (410) or `failing` (5 days).")]
    rate_limit_per_second: int | None
    headers: dict[str, str]
    failing_since: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int

    @classmethod
    def of(cls, endpoint: WebhookEndpoint) -> EndpointOut:
        return cls.model_validate(endpoint)


class EndpointList(Output):
    items: list[EndpointOut]
    next_cursor: str | None


class SecretOut(Output):
    secret: Annotated[str, Field(description="`whsec_…`: verify deliveries with it (Standard Webhooks).")]
    previous_secret: str | None
    previous_secret_expires_at: datetime | None


class EndpointCreated(EndpointOut):
    secret: str

    @classmethod
    def of(cls, endpoint: WebhookEndpoint) -> EndpointCreated:
        return cls.model_validate(endpoint)


class MessageOut(Output):
    id: UUID
    endpoint_id: UUID
    event_id: Annotated[UUID, Field(description="The `webhook-id` header: the same on every attempt.")]
    event_type: str
    occurred_at: datetime
    status: MessageStatus
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime
    payload: dict[str, Any]

    @classmethod
    def of(cls, message: WebhookMessage) -> MessageOut:
        return cls.model_validate(message)


class MessageList(Output):
    items: list[MessageOut]
    next_cursor: str | None


class AttemptOut(Output):
    id: UUID
    attempted_at: datetime
    outcome: AttemptOutcome
    status_code: int | None
    latency_ms: int
    response_excerpt: Annotated[str, Field(description="The first 1 KB of the response body.")]
    error: str | None


class MessageDetailOut(MessageOut):
    attempt_log: list[AttemptOut]

    @classmethod
    def detail(cls, message: WebhookMessage, attempts: list[WebhookAttempt]) -> MessageDetailOut:
        return cls.model_validate({**vars(message), "attempt_log": [AttemptOut.model_validate(a) for a in attempts]})


class RecoverOut(Output):
    queued: int


class EventTypeOut(Output):
    type: str
    description: str
    payload_schema: dict[str, Any]
    example: dict[str, Any]


class EventTypeList(Output):
    items: list[EventTypeOut]
