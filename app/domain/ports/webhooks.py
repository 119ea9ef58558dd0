"""Webhook endpoints, the message store behind delivery and the sender that POSTs."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from app.domain.ports.common import Page, PageRequest
from app.domain.webhooks import AttemptOutcome, MessageStatus, WebhookEndpoint


class WebhookEndpointRepository(Protocol):
    def add(self, endpoint: WebhookEndpoint) -> None: ...
    async def get(self, endpoint_id: UUID) -> WebhookEndpoint | None: ...
    async def get_many(self, ids: Sequence[UUID]) -> dict[UUID, WebhookEndpoint]: ...
    async def delete(self, endpoint_id: UUID) -> None: ...
    async def list(self, page: PageRequest) -> Page[WebhookEndpoint]: ...


@dataclass(frozen=True)
class WebhookMessage:
    """One event for one endpoint: delivered at least once, or given up after every retry."""

    id: UUID
    endpoint_id: UUID
    event_id: UUID
    event_type: str
    occurred_at: datetime
    payload: dict[str, object]
    status: MessageStatus
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class WebhookAttempt:
    id: UUID
    message_id: UUID
    endpoint_id: UUID
    attempted_at: datetime
    outcome: AttemptOutcome
    status_code: int | None
    latency_ms: int
    response_excerpt: str
    error: str | None


@dataclass(frozen=True)
class AttemptResult:
    """What one delivery attempt did, and what happens to its message next."""

    message_id: UUID
    attempt: WebhookAttempt
    status: MessageStatus
    next_attempt_at: datetime | None


class WebhookMessageStore(Protocol):
    """Messages and attempts: written by the fan-out and the deliveries, read by the delivery log."""

    async def fan_out(self, *, now: datetime, limit: int, new_id: Callable[[], UUID]) -> tuple[int, int]:
        """Turn up to ``limit`` undispatched outbox events into one message per subscribed, enabled
        endpoint and mark them dispatched: (events taken, messages written). Idempotent per
        (endpoint, event)."""
        ...

    async def add(self, message: WebhookMessage) -> None: ...
    async def claim_due(self, *, now: datetime, lease_until: datetime, limit: int) -> builtins.list[WebhookMessage]:
        """Pending messages due by ``now`` (of enabled endpoints), moved to ``lease_until`` so no other
        worker takes them meanwhile; a worker that dies leaves them to be retried after the lease."""
        ...

    async def release(self, message_ids: Sequence[UUID], *, at: datetime) -> None:
        """Give claimed messages back, due at ``at`` (a rate-limited endpoint's surplus)."""
        ...

    async def record(self, results: Sequence[AttemptResult]) -> None: ...
    async def get(self, message_id: UUID) -> WebhookMessage | None: ...
    async def list(
        self, endpoint_id: UUID, *, status: MessageStatus | None, page: PageRequest
    ) -> Page[WebhookMessage]: ...
    async def attempts(self, message_id: UUID) -> builtins.list[WebhookAttempt]: ...
    async def retry(self, message_id: UUID, *, now: datetime) -> None:
        """Send the message again now, whatever its status (a manual redelivery)."""
        ...

    async def retry_failed_since(self, endpoint_id: UUID, *, since: datetime, now: datetime) -> int:
        """Every failed message of the endpoint created since ``since`` is due again now; how many."""
        ...

    async def give_up_pending(self, endpoint_id: UUID) -> int:
        """A disabled endpoint's pending messages fail (they can be recovered later)."""
        ...

    async def backlog(self) -> builtins.list[tuple[UUID, int, datetime | None]]:
        """(endpoint id, pending messages, oldest pending message's event time) per endpoint."""
        ...

    async def purge(self, *, before: datetime) -> int:
        """Delete messages (and their attempts) delivered or failed before ``before``."""
        ...


@dataclass(frozen=True)
class SendResult:
    """What the receiver did with one POST."""

    outcome: AttemptOutcome
    status_code: int | None
    latency_ms: int
    response_excerpt: str = ""
    retry_after: timedelta | None = None
    error: str | None = None


class WebhookSender(Protocol):
    """Signs and POSTs bodies to endpoints, refusing addresses the SSRF guard forbids at connect time."""

    async def check_url(self, url: str) -> None:
        """Refuse (``webhook_url_forbidden``) a URL whose host resolves to a forbidden address."""
        ...

    async def send(
        self, url: str, *, body: str, message_id: str, secrets: builtins.list[str], headers: dict[str, str]
    ) -> SendResult:
        """POST ``body`` signed (Standard Webhooks) with every secret, stamped with the time of sending."""
