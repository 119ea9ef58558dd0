"""Standard Webhooks v1 signatures, made with the reference ``standardwebhooks`` library."""

from __future__ import annotations

from datetime import datetime

from standardwebhooks.webhooks import Webhook


def signature_header(secrets: list[str], *, message_id: str, timestamp: datetime, body: str) -> str:
    """``v1,<sig>`` for each secret, space separated: during a rotation's grace period a receiver
    holding either the old or the new secret verifies the same delivery."""
    return " ".join(Webhook(secret).sign(message_id, timestamp, body) for secret in secrets)


def headers(secrets: list[str], *, message_id: str, timestamp: datetime, body: str) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": signature_header(secrets, message_id=message_id, timestamp=timestamp, body=body),
        "content-type": "application/json",
    }
