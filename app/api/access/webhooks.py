"""The access rules of the operations in ``routes/webhooks.py``: outbound webhooks."""

from __future__ import annotations

from typing import Final

ACCESS: Final[dict[str, str]] = {
    "listWebhookEventTypes": "event_catalogue",
    "createWebhookEndpoint": "webhooks",
    "listWebhookEndpoints": "webhooks",
    "getWebhookEndpoint": "webhooks",
    "updateWebhookEndpoint": "webhooks",
    "deleteWebhookEndpoint": "webhooks",
    "getWebhookSecret": "webhooks",
    "rotateWebhookSecret": "webhooks",
    "sendWebhookTest": "webhooks",
    "listWebhookMessages": "webhooks",
    "getWebhookMessage": "webhooks",
    "redeliverWebhookMessage": "webhooks",
    "recoverWebhookMessages": "webhooks",
}
