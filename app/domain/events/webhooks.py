"""Events of the webhook endpoints themselves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from uuid import UUID

from app.domain.events.base import DomainEvent


# --- webhooks -----------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class WebhookEndpointDisabled(DomainEvent):
    """The service switched a webhook endpoint off: it answered ``410 Gone`` (``reason: gone``) or
    failed every delivery for five days (``reason: failing``). Delivered to the other endpoints."""

    event_type: ClassVar[str] = "webhook_endpoint.disabled"
    endpoint_id: UUID
    reason: str
