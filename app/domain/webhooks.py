"""Outbound webhooks: endpoints, their signing secrets, which events they receive, the retry
schedule and when an endpoint that keeps failing is switched off.

Receivers get the Standard Webhooks envelope ``{"type", "timestamp", "data"}``; the event's outbox id
is the ``webhook-id`` (stable across retries and endpoints), so a receiver deduplicates on it.
Delivery order is not promised: ``timestamp`` (when the change happened) orders events.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from app.domain.bounds import Bound
from app.domain.errors import conflict, invalid
from app.domain.events import DomainEvent, WebhookEndpointDisabled
from app.domain.jobs import JobRequest

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32
# Both secrets sign for this long after a rotation, unless the caller asks for another grace period.
DEFAULT_ROTATION_GRACE = timedelta(hours=24)
MAX_ROTATION_GRACE = timedelta(days=7)
# An endpoint that has failed every delivery for this long is disabled.
DISABLE_AFTER = timedelta(days=5)
# Attempt n+1 waits RETRY_SCHEDULE[n] after attempt n failed (Standard Webhooks' recommended ladder);
# after the last one the message is given up.
RETRY_SCHEDULE: tuple[timedelta, ...] = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
)
MAX_ATTEMPTS = len(RETRY_SCHEDULE) + 1
JITTER = 0.1  # ± 10 % of each wait
# A Retry-After larger than this is capped (a receiver cannot park a message for a week).
MAX_RETRY_AFTER = timedelta(hours=10)
RESPONSE_EXCERPT_BYTES = 1024
# The event a test ping sends: it is in no subscription filter, every endpoint accepts it.
PING_EVENT_TYPE = "webhook.ping"

# The job kinds that get events out (app/workers/kinds/webhooks.py).
DELIVER_KIND = "webhooks.deliver"
PURGE_KIND = "webhooks.purge"
# Delivery jobs that may run at once (each claims its own messages), across every worker.
DELIVERY_LANES = 4


def delivery_requests() -> list[JobRequest]:
    return [JobRequest(kind=DELIVER_KIND, payload={}, dedupe_key=f"lane-{lane}") for lane in range(DELIVERY_LANES)]


RATE_LIMIT = Bound(1, 10_000, "webhook_rate_limit_out_of_range", "A rate limit is 1–10,000 deliveries a second.")
DESCRIPTION_MAX = 500
MAX_HEADERS = 20
# Headers a custom set may not override: the signature contract and what the HTTP client owns.
RESERVED_HEADERS = frozenset(
    {"webhook-id", "webhook-timestamp", "webhook-signature", "content-type", "content-length", "host", "user-agent"}
)


class MessageStatus(StrEnum):
    PENDING = "pending"  # waiting for its next attempt
    DELIVERED = "delivered"
    FAILED = "failed"  # every attempt failed, or the endpoint was disabled meanwhile


class AttemptOutcome(StrEnum):
    SUCCESS = "success"
    HTTP_ERROR = "http_error"  # answered, but not 2xx (redirects included)
    TIMEOUT = "timeout"
    CONNECTION_ERROR = "connection_error"
    REFUSED = "refused"  # the SSRF guard refused the address the URL resolved to


def new_secret(random_bytes: bytes) -> str:
    """``whsec_`` and the base64 of 32 random bytes: the format every Standard Webhooks library reads."""
    if len(random_bytes) < SECRET_BYTES:
        raise ValueError("a webhook secret needs 32 random bytes")
    return SECRET_PREFIX + base64.b64encode(random_bytes).decode("ascii")


def validate_url(url: str, *, allow_http: bool) -> str:
    """An absolute http(s) URL without credentials; https unless the deployment allows http."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise invalid("webhook_url_invalid", "A webhook URL is an absolute https:// URL.", path="url")
    if parts.scheme == "http" and not allow_http:
        raise invalid("webhook_url_not_https", "Webhook URLs must use https.", path="url")
    if parts.username or parts.password:
        raise invalid("webhook_url_invalid", "A webhook URL cannot carry credentials.", path="url")
    if len(url) > 2000:
        raise invalid("webhook_url_invalid", "A webhook URL is at most 2,000 characters.", path="url")
    return url


def validate_event_types(types: list[str], known: frozenset[str]) -> list[str]:
    """Exact event types or prefixes ending in ``.*`` (``relationship.*``); each must match something."""
    result: list[str] = []
    families = {known_type.split(".", 1)[0] for known_type in known}
    for item in types:
        item = item.strip()
        if item.endswith(".*"):
            if item[:-2] not in families:
                raise invalid("webhook_event_type_unknown", f"No event type starts with {item[:-1]!r}.", path="events")
        elif item not in known:
            raise invalid("webhook_event_type_unknown", f"{item!r} is not an event type.", path="events")
        if item not in result:
            result.append(item)
    return result


def validate_headers(headers: dict[str, str]) -> dict[str, str]:
    if len(headers) > MAX_HEADERS:
        raise invalid("webhook_headers_invalid", f"At most {MAX_HEADERS} custom headers.", path="headers")
    clean: dict[str, str] = {}
    for name, value in headers.items():
        lowered = name.strip().lower()
        if lowered in RESERVED_HEADERS:
            raise invalid("webhook_headers_invalid", f"The header {name!r} is set by the service.", path="headers")
        if not lowered or not all(c.isalnum() or c in "-_" for c in lowered) or "\n" in value or "\r" in value:
            raise invalid("webhook_headers_invalid", f"{name!r} is not a valid header.", path="headers")
        if len(value) > 1000:
            raise invalid("webhook_headers_invalid", "A header value is at most 1,000 characters.", path="headers")
        clean[name.strip()] = value
    return clean


def validate_description(description: str | None) -> str | None:
    if description is not None and len(description) > DESCRIPTION_MAX:
        raise invalid("webhook_description_too_long", "A description is at most 500 characters.", path="description")
    return description


def subscribes(event_types: list[str], event_type: str) -> bool:
    """An empty filter takes every event; ``relationship.*`` takes ``relationship.<anything>``."""
    if event_type == PING_EVENT_TYPE or not event_types:
        return True
    for pattern in event_types:
        if pattern == event_type or (pattern.endswith(".*") and event_type.startswith(pattern[:-1])):
            return True
    return False


def is_public_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether a webhook may be sent to this address: not private, loopback, link-local, CGNAT,
    multicast, reserved, unspecified, IPv6 ULA or site-local, nor an IPv4-mapped/-translated or
    6to4 form of one (judged by the embedded IPv4 address), nor a cloud metadata address."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in ipaddress.IPv6Network("64:ff9b::/96"):
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public_address(embedded)
        if address.is_site_local or address in ipaddress.IPv6Network("fc00::/7"):
            return False
    if address in _METADATA:
        return False
    if isinstance(address, ipaddress.IPv4Address) and address in ipaddress.IPv4Network("100.64.0.0/10"):
        return False  # carrier-grade NAT
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


_METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "192.0.0.192", "fd00:ec2::254")
)


def retry_delay(failed_attempts: int, *, retry_after: timedelta | None, rng: random.Random) -> timedelta | None:
    """How long to wait before the next attempt after ``failed_attempts`` failures (``None``: give up).

    The schedule's step with ± 10 % jitter; a receiver's ``Retry-After`` replaces it when longer
    (capped at 10 hours)."""
    if failed_attempts >= MAX_ATTEMPTS:
        return None
    step = RETRY_SCHEDULE[failed_attempts - 1]
    delay = step * (1 + rng.uniform(-JITTER, JITTER))
    if retry_after is not None:
        delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
    return delay


def envelope(event_type: str, occurred_at: datetime, data: dict[str, Any]) -> str:
    """The body a receiver gets, serialised once: these exact bytes are signed and sent."""
    return json.dumps(
        {"type": event_type, "timestamp": occurred_at.isoformat().replace("+00:00", "Z"), "data": data},
        separators=(",", ":"),
        ensure_ascii=False,
    )


@dataclass
class WebhookEndpoint:
    id: UUID
    url: str
    description: str | None
    event_types: list[str]
    enabled: bool
    rate_limit_per_second: int | None
    headers: dict[str, str]
    secret: str
    created_at: datetime
    updated_at: datetime
    previous_secret: str | None = None
    previous_secret_expires_at: datetime | None = None
    # Since when every delivery failed (None while the last one succeeded).
    failing_since: datetime | None = None
    disabled_reason: str | None = None
    version: int = 1
    events: list[DomainEvent] = field(default_factory=list, repr=False, compare=False)

    def signing_secrets(self, now: datetime) -> list[str]:
        """The secrets that sign a message sent now: the current one, and the previous one while its
        grace period lasts (Standard Webhooks carries both signatures in one header)."""
        secrets = [self.secret]
        if self.previous_secret and self.previous_secret_expires_at and now < self.previous_secret_expires_at:
            secrets.append(self.previous_secret)
        return secrets

    def rotate(self, secret: str, *, now: datetime, grace: timedelta) -> None:
        """A new secret signs from now on; the old one keeps signing until ``now + grace``."""
        if grace < timedelta(0) or grace > MAX_ROTATION_GRACE:
            raise invalid("webhook_rotation_grace_out_of_range", "A grace period is 0–7 days.", path="grace_seconds")
        self.previous_secret, self.secret = self.secret, secret
        self.previous_secret_expires_at = now + grace if grace else None
        if not grace:
            self.previous_secret = None
        self.updated_at = now

    def subscribes(self, event_type: str) -> bool:
        return subscribes(self.event_types, event_type)

    def enable(self, *, now: datetime) -> None:
        """Switch a disabled endpoint back on: its failure streak starts afresh."""
        self.enabled = True
        self.disabled_reason = None
        self.failing_since = None
        self.updated_at = now

    def disable(self, *, reason: str, now: datetime) -> None:
        if not self.enabled:
            raise conflict("webhook_endpoint_disabled", "The endpoint is already disabled.")
        self.enabled = False
        self.disabled_reason = reason
        self.updated_at = now
        if reason != "manual":
            self.events.append(WebhookEndpointDisabled(endpoint_id=self.id, reason=reason))

    def delivered(self) -> None:
        self.failing_since = None

    def failed(self, *, now: datetime, gone: bool) -> bool:
        """Record a failed delivery; ``True`` when this disables the endpoint (410 Gone, or every
        delivery failing for five days)."""
        if self.failing_since is None:
            self.failing_since = now
        if not self.enabled:
            return False
        if gone:
            self.disable(reason="gone", now=now)
            return True
        if now - self.failing_since >= DISABLE_AFTER:
            self.disable(reason="failing", now=now)
            return True
        return False
