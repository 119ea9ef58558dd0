"""Webhook rules: filters, the SSRF address rule, the retry ladder, secrets, the envelope, and
signatures a Standard Webhooks receiver verifies."""

from __future__ import annotations

import ipaddress
import json
import random
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from app.adapters.webhooks import signer
from app.adapters.webhooks.sender import AddressGuard, Refused, parse_retry_after
from app.domain.errors import DomainError
from app.domain.events import WebhookEndpointDisabled
from app.domain.webhooks import (
    DISABLE_AFTER,
    MAX_ATTEMPTS,
    RETRY_SCHEDULE,
    WebhookEndpoint,
    envelope,
    is_public_address,
    new_secret,
    retry_delay,
    subscribes,
    validate_headers,
)

NOW = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)


def endpoint() -> WebhookEndpoint:
    return WebhookEndpoint(
        id=UUID(int=1),
        url="https://hr.example.com/in",
        description=None,
        event_types=[],
        enabled=True,
        rate_limit_per_second=None,
        headers={},
        secret=new_secret(bytes(range(32))),
        created_at=NOW,
        updated_at=NOW,
    )


@pytest.mark.parametrize(
    ("filters", "event_type", "expected"),
    [
        ([], "person.created", True),
        (["person.created"], "person.created", True),
        (["person.created"], "person.updated", False),
        (["relationship.*"], "relationship.ended", True),
        (["relationship.*"], "relationships.x", False),
        (["program.*"], "webhook.ping", True),  # a ping reaches every endpoint
    ],
)
def test_filters(filters: list[str], event_type: str, expected: bool) -> None:
    assert subscribes(filters, event_type) is expected


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("10.0.0.1", False),
        ("172.16.5.4", False),
        ("192.168.1.1", False),
        ("127.0.0.1", False),
        ("0.0.0.0", False),
        ("169.254.169.254", False),  # cloud metadata
        ("169.254.10.10", False),  # link-local
        ("100.64.1.1", False),  # CGNAT
        ("100.100.100.200", False),  # a cloud's metadata service inside CGNAT
        ("224.0.0.1", False),  # multicast
        ("::1", False),
        ("fe80::1", False),
        ("fd00::1", False),  # unique local
        ("fd00:ec2::254", False),  # metadata over IPv6
        ("::ffff:10.0.0.1", False),  # IPv4-mapped private
        ("::ffff:93.184.216.34", True),
        ("64:ff9b::a00:1", False),  # NAT64 of 10.0.0.1
        ("2002:0a00:0001::1", False),  # 6to4 of 10.0.0.1
    ],
)
def test_which_addresses_webhooks_may_call(address: str, public: bool) -> None:
    assert is_public_address(ipaddress.ip_address(address)) is public


async def test_the_guard_refuses_a_name_with_any_forbidden_address_and_admits_allowed_networks() -> None:
    async def mixed(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        return [ipaddress.ip_address("93.184.216.34"), ipaddress.ip_address("10.0.0.7")]

    with pytest.raises(Refused):
        await AddressGuard(resolver=mixed).pin("hooks.example.com", 443)
    assert str(await AddressGuard(allowed_networks=["10.0.0.0/8"], resolver=mixed).pin("x", 443)) == "93.184.216.34"
    with pytest.raises(Refused):
        await AddressGuard().pin("127.0.0.1", 80)
    assert str(await AddressGuard(allowed_networks=["127.0.0.0/8"]).pin("127.0.0.1", 80)) == "127.0.0.1"


def test_the_retry_ladder_with_jitter_and_retry_after() -> None:
    rng = random.Random(3)
    for failed, step in enumerate(RETRY_SCHEDULE, start=1):
        for _ in range(50):
            wait = retry_delay(failed, retry_after=None, rng=rng)
            assert wait is not None and step * 0.9 <= wait <= step * 1.1
    assert retry_delay(MAX_ATTEMPTS, retry_after=None, rng=rng) is None
    assert retry_delay(1, retry_after=timedelta(minutes=3), rng=rng) == timedelta(minutes=3)
    assert retry_delay(1, retry_after=timedelta(days=3), rng=rng) == timedelta(hours=10)  # capped
    assert retry_delay(3, retry_after=timedelta(seconds=1), rng=rng) >= timedelta(minutes=27)  # never sooner


def test_retry_after_in_seconds_or_as_a_date() -> None:
    assert parse_retry_after("120", now=NOW) == timedelta(seconds=120)
    assert parse_retry_after("Mon, 11 Jan 2027 09:05:00 GMT", now=NOW) == timedelta(minutes=5)
    assert parse_retry_after("soon", now=NOW) is None


def test_410_and_five_days_of_failure_disable_an_endpoint_once() -> None:
    made = endpoint()
    assert made.failed(now=NOW, gone=False) is False
    assert made.failed(now=NOW + DISABLE_AFTER - timedelta(seconds=1), gone=False) is False
    made.delivered()
    assert made.failed(now=NOW + DISABLE_AFTER, gone=False) is False  # the streak started afresh
    assert made.failed(now=NOW + 2 * DISABLE_AFTER, gone=False) is True
    assert (made.enabled, made.disabled_reason) == (False, "failing")
    assert made.failed(now=NOW + 3 * DISABLE_AFTER, gone=True) is False
    assert made.events == [WebhookEndpointDisabled(endpoint_id=made.id, reason="failing")]
    gone = endpoint()
    assert gone.failed(now=NOW, gone=True) is True and gone.disabled_reason == "gone"


def test_secrets_are_32_random_bytes_in_the_whsec_format() -> None:
    secret = new_secret(bytes(range(32)))
    assert secret.startswith("whsec_")
    Webhook(secret)  # the reference library reads it
    with pytest.raises(ValueError):
        new_secret(b"short")


def test_custom_headers_cannot_forge_the_signature() -> None:
    for name in ("webhook-signature", "Webhook-Id", "content-type", "Host"):
        with pytest.raises(DomainError):
            validate_headers({name: "x"})
    assert validate_headers({"X-Tenant": "acme"}) == {"X-Tenant": "acme"}


def test_the_signed_bytes_are_the_sent_bytes_and_both_secrets_verify() -> None:
    old, new = new_secret(bytes(range(32))), new_secret(bytes(range(1, 33)))
    body = envelope("person.created", NOW, {"person_id": str(UUID(int=5)), "name": "Zoë"})
    sent_at = datetime.now(UTC)
    headers = signer.headers([new, old], message_id="msg_1", timestamp=sent_at, body=body)
    raw = body.encode()
    for secret in (old, new):
        assert Webhook(secret).verify(raw, headers) == json.loads(body)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret(bytes(range(2, 34)))).verify(raw, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(new).verify(raw + b" ", headers)
    assert json.loads(body) == {
        "type": "person.created",
        "timestamp": "2027-01-11T09:00:00Z",
        "data": {"person_id": str(UUID(int=5)), "name": "Zoë"},
    }
