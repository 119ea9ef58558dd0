"""The problem codes of the operations in ``routes/webhooks.py``: outbound webhooks."""

from __future__ import annotations

from typing import Final

CODES: Final[dict[str, tuple[str, ...]]] = {
    "createWebhookEndpoint": (
        "webhook_description_too_long",
        "webhook_event_type_unknown",
        "webhook_headers_invalid",
        "webhook_rate_limit_out_of_range",
        "webhook_url_forbidden",
        "webhook_url_invalid",
        "webhook_url_not_https",
        "webhooks_admin_only",
    ),
    "listWebhookEndpoints": ("webhooks_admin_only",),
    "getWebhookEndpoint": ("webhook_endpoint_not_found", "webhooks_admin_only"),
    "getWebhookSecret": ("webhook_endpoint_not_found", "webhooks_admin_only"),
    "updateWebhookEndpoint": (
        "webhook_description_too_long",
        "webhook_endpoint_not_found",
        "webhook_event_type_unknown",
        "webhook_headers_invalid",
        "webhook_rate_limit_out_of_range",
        "webhook_url_forbidden",
        "webhook_url_invalid",
        "webhook_url_not_https",
        "webhooks_admin_only",
    ),
    "deleteWebhookEndpoint": ("webhook_endpoint_not_found", "webhooks_admin_only"),
    "rotateWebhookSecret": ("webhook_endpoint_not_found", "webhook_rotation_grace_out_of_range", "webhooks_admin_only"),
    "sendWebhookTest": ("webhook_endpoint_disabled", "webhook_endpoint_not_found", "webhooks_admin_only"),
    "listWebhookMessages": ("webhook_endpoint_not_found", "webhooks_admin_only"),
    "getWebhookMessage": ("webhook_message_not_found", "webhooks_admin_only"),
    "redeliverWebhookMessage": (
        "webhook_endpoint_disabled",
        "webhook_endpoint_not_found",
        "webhook_message_not_found",
        "webhooks_admin_only",
    ),
    "recoverWebhookMessages": ("webhook_endpoint_disabled", "webhook_endpoint_not_found", "webhooks_admin_only"),
    "listWebhookEventTypes": (),
}
