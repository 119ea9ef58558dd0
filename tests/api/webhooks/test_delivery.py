"""Deliveries to a real receiver on loopback, verified with the ``standardwebhooks`` package: the
envelope, filters, the retry schedule, Retry-After, 410, the 5-day disable and its event, rotation
grace, redirects, timeouts, redelivery, recovery, test pings and the SSRF guard at connect time."""

from __future__ import annotations

import asyncio
import ipaddress
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update
from starlette.requests import Request
from starlette.responses import Response

from app.adapters.persistence.tables import OutboxRow, WebhookMessageRow
from app.adapters.webhooks.sender import AddressGuard, AiohttpWebhookSender
from app.domain.webhooks import RETRY_SCHEDULE
from app.services import webhook_delivery

from .conftest import API, LOOPBACK, register


async def messages_of(client: Any, admin: dict[str, str], endpoint: dict[str, Any], **params: Any) -> list[dict]:
    response = await client.get(f"{API}/webhook-endpoints/{endpoint['id']}/messages", headers=admin, params=params)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def detail(client: Any, admin: dict[str, str], endpoint: dict[str, Any], message_id: str) -> dict[str, Any]:
    response = await client.get(f"{API}/webhook-endpoints/{endpoint['id']}/messages/{message_id}", headers=admin)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def status(code: int, **headers: str) -> Any:
    async def respond(request: Request) -> Response:
        return Response(status_code=code, content=b"nope" * 600, headers=headers)

    return respond


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


async def test_an_event_reaches_the_receiver_signed_in_the_standard_envelope(
    client, admin, receiver, deliveries, org, container
) -> None:
    endpoint = await register(client, admin, receiver)
    person_id = await org.person("Pat Example")
    report = await deliveries.run()
    assert report.delivered == 1
    [got] = receiver.requests
    assert isinstance(got.verified, dict), got.verified  # standardwebhooks verified the signature
    async with container.engine.connect() as connection:
        outbox = OutboxRow.__table__  # type: ignore[attr-defined]
        event = (await connection.execute(select(outbox).order_by(outbox.c.id.desc()).limit(1))).mappings().one()
    assert got.headers["webhook-id"] == str(event["id"])
    assert got.json == {
        "type": "person.created",
        "timestamp": event["occurred_at"].isoformat().replace("+00:00", "Z"),
        "data": {"person_id": str(person_id), "external_id": None},
    }
    assert got.headers["content-type"] == "application/json"
    [message] = await messages_of(client, admin, endpoint)
    assert message["status"] == "delivered" and message["event_id"] == str(event["id"])
    [attempt] = (await detail(client, admin, endpoint, message["id"]))["attempt_log"]
    assert attempt["outcome"] == "success" and attempt["status_code"] == 200 and attempt["response_excerpt"] == "ok"
    assert (await deliveries.run()).claimed == 0  # delivered once, not again


async def test_filters_choose_events_and_an_endpoint_hears_only_what_happens_after_it(
    client, admin, receiver, deliveries, org
) -> None:
    await org.person("Before Endpoint")
    people = await register(client, admin, receiver, event_types=["person.*"])
    programs = await register(client, admin, receiver, event_types=["program.status_changed"])
    everything = await register(client, admin, receiver)
    await org.person("After Endpoint")
    await deliveries.run()
    assert len(await messages_of(client, admin, people)) == 1
    assert await messages_of(client, admin, programs) == []
    assert len(await messages_of(client, admin, everything)) == 1
    assert len(receiver.requests) == 2
    assert len(set(receiver.ids())) == 1  # the webhook-id is the event's, the same for every endpoint


async def test_failures_follow_the_retry_schedule_with_jitter_then_give_up(
    client, admin, receiver, deliveries, org, clock
) -> None:
    endpoint = await register(client, admin, receiver)
    receiver.respond = status(500)
    await org.person("Pat Retry")
    await deliveries.run()
    for attempt, step in enumerate(RETRY_SCHEDULE, start=1):
        [message] = await messages_of(client, admin, endpoint)
        assert message["attempts"] == attempt and message["status"] == "pending"
        wait = parse(message["next_attempt_at"]) - clock.now()
        assert step * 0.9 <= wait <= step * 1.1, (attempt, wait)
        clock.advance(wait - timedelta(seconds=1))
        assert (await deliveries.run()).claimed == 0  # not before its time
        clock.advance(timedelta(seconds=1))
        assert (await deliveries.run()).claimed == 1
    [message] = await messages_of(client, admin, endpoint)
    assert message["status"] == "failed" and message["attempts"] == len(RETRY_SCHEDULE) + 1
    log = (await detail(client, admin, endpoint, message["id"]))["attempt_log"]
    assert [a["status_code"] for a in log] == [500] * 8
    assert all(len(a["response_excerpt"]) == 1024 for a in log)  # the first kilobyte only
    assert len(set(receiver.ids())) == 1


async def test_retry_after_is_honoured(client, admin, receiver, deliveries, org, clock) -> None:
    endpoint = await register(client, admin, receiver)
    receiver.respond = status(503, **{"Retry-After": "600"})
    await org.person("Pat Busy")
    await deliveries.run()
    [message] = await messages_of(client, admin, endpoint)
    assert parse(message["next_attempt_at"]) - clock.now() == timedelta(seconds=600)


async def test_410_gone_disables_the_endpoint_and_tells_the_others(client, admin, receiver, deliveries, org) -> None:
    gone = await register(client, admin, receiver, event_types=["person.created"])
    watcher = await register(client, admin, receiver, event_types=["webhook_endpoint.*"])

    async def respond(request: Request) -> Response:
        return Response(status_code=410 if request.url.path == "/gone" else 200)

    receiver.respond = respond
    await client.patch(f"{API}/webhook-endpoints/{gone['id']}", headers=admin, json={"url": receiver.url("/gone")})
    await org.person("Pat Gone")
    await deliveries.run()
    found = (await client.get(f"{API}/webhook-endpoints/{gone['id']}", headers=admin)).json()
    assert found["enabled"] is False and found["disabled_reason"] == "gone"
    [notice] = [r for r in receiver.requests if r.path == "/hook"]
    assert notice.json["type"] == "webhook_endpoint.disabled"
    assert notice.json["data"] == {"endpoint_id": gone["id"], "reason": "gone"}
    assert [m["status"] for m in await messages_of(client, admin, watcher)] == ["delivered"]
    await org.person("Pat Later")
    await deliveries.run()
    assert len([r for r in receiver.requests if r.path == "/gone"]) == 1  # a disabled endpoint hears nothing


async def test_an_endpoint_failing_for_five_days_is_disabled(client, admin, receiver, deliveries, org, clock) -> None:
    failing = await register(client, admin, receiver, event_types=["person.created"])
    watcher = await register(client, admin, receiver, event_types=["webhook_endpoint.disabled"])

    async def respond(request: Request) -> Response:
        return Response(status_code=500 if request.url.path == "/down" else 204)

    receiver.respond = respond
    await client.patch(f"{API}/webhook-endpoints/{failing['id']}", headers=admin, json={"url": receiver.url("/down")})
    await org.person("Pat One")
    await deliveries.run()
    clock.advance(timedelta(days=4, hours=23))
    await org.person("Pat Two")
    await deliveries.run()
    assert (await client.get(f"{API}/webhook-endpoints/{failing['id']}", headers=admin)).json()["enabled"] is True
    clock.advance(timedelta(hours=2))
    await org.person("Pat Three")
    await deliveries.run()
    found = (await client.get(f"{API}/webhook-endpoints/{failing['id']}", headers=admin)).json()
    assert found["enabled"] is False and found["disabled_reason"] == "failing"
    assert {m["status"] for m in await messages_of(client, admin, failing)} == {"failed"}
    [notice] = await messages_of(client, admin, watcher)
    assert notice["event_type"] == "webhook_endpoint.disabled" and notice["payload"]["reason"] == "failing"


async def test_one_success_resets_the_failure_streak(client, admin, receiver, deliveries, org, clock) -> None:
    endpoint = await register(client, admin, receiver)
    receiver.respond = status(500)
    await org.person("Pat One")
    await deliveries.run()
    receiver.respond = None
    clock.advance(timedelta(days=3))
    await org.person("Pat Two")
    await deliveries.run()
    receiver.respond = status(500)
    clock.advance(timedelta(days=3))
    await org.person("Pat Three")
    await deliveries.run()
    assert (await client.get(f"{API}/webhook-endpoints/{endpoint['id']}", headers=admin)).json()["enabled"] is True


async def test_rotation_signs_with_both_secrets_during_the_grace_period(
    client, admin, receiver, deliveries, org, clock
) -> None:
    endpoint = await register(client, admin, receiver)
    old = endpoint["secret"]
    rotated = await client.post(
        f"{API}/webhook-endpoints/{endpoint['id']}/rotate-secret", headers=admin, json={"grace_seconds": 3600}
    )
    assert rotated.status_code == 200, rotated.text
    new = rotated.json()["secret"]
    assert new.startswith("whsec_") and new != old and rotated.json()["previous_secret"] == old
    receiver.secrets = [old, new]
    await org.person("Pat During")
    await deliveries.run()
    during = receiver.requests[-1]
    assert len(during.headers["webhook-signature"].split(" ")) == 2
    assert during.secrets_that_verify == [old, new]
    clock.advance(timedelta(hours=1, seconds=1))
    await org.person("Pat After")
    await deliveries.run()
    after = receiver.requests[-1]
    assert after.secrets_that_verify == [new]
    shown = (await client.get(f"{API}/webhook-endpoints/{endpoint['id']}/secret", headers=admin)).json()
    assert shown["secret"] == new


async def test_redirects_are_not_followed(client, admin, receiver, deliveries, org) -> None:
    endpoint = await register(client, admin, receiver)

    async def respond(request: Request) -> Response:
        if request.url.path == "/hook":
            return Response(status_code=307, headers={"Location": receiver.url("/elsewhere")})
        return Response(status_code=200)

    receiver.respond = respond
    await org.person("Pat Redirect")
    await deliveries.run()
    assert [r.path for r in receiver.requests] == ["/hook"]
    [message] = await messages_of(client, admin, endpoint)
    assert message["status"] == "pending"
    [attempt] = (await detail(client, admin, endpoint, message["id"]))["attempt_log"]
    assert attempt["outcome"] == "http_error" and attempt["status_code"] == 307


async def test_a_slow_receiver_times_out(client, admin, receiver, org, container, loopback_allowed) -> None:
    sender = AiohttpWebhookSender(guard=AddressGuard(allowed_networks=LOOPBACK), timeout_seconds=0.2)
    try:
        endpoint = await register(client, admin, receiver)

        async def respond(request: Request) -> Response:
            await asyncio.sleep(1)
            return Response(status_code=200)

        receiver.respond = respond
        await org.person("Pat Slow")
        await webhook_delivery.fan_out(container.uow())
        await webhook_delivery.deliver_due(container.uow, sender)
    finally:
        await sender.aclose()
    [message] = await messages_of(client, admin, endpoint)
    [attempt] = (await detail(client, admin, endpoint, message["id"]))["attempt_log"]
    assert attempt["outcome"] == "timeout" and attempt["status_code"] is None
    assert message["status"] == "pending"


async def test_manual_redelivery_resends_with_the_same_id(client, admin, receiver, deliveries, org) -> None:
    endpoint = await register(client, admin, receiver)
    await org.person("Pat Again")
    await deliveries.run()
    [message] = await messages_of(client, admin, endpoint)
    again = await client.post(
        f"{API}/webhook-endpoints/{endpoint['id']}/messages/{message['id']}/redeliver", headers=admin
    )
    assert again.status_code == 202, again.text
    await deliveries.run()
    assert len(receiver.requests) == 2 and len(set(receiver.ids())) == 1
    assert all(isinstance(r.verified, dict) for r in receiver.requests)


async def test_recover_sends_failed_messages_since_a_time(client, admin, receiver, deliveries, org, clock) -> None:
    endpoint = await register(client, admin, receiver)
    base = f"{API}/webhook-endpoints/{endpoint['id']}"
    receiver.respond = status(500)
    await org.person("Pat Early")
    await deliveries.run()
    clock.advance(timedelta(hours=1))
    since = clock.now()
    await org.person("Pat Late")
    await deliveries.run()
    off = await client.patch(base, headers=admin, json={"enabled": False})
    assert off.json()["disabled_reason"] == "manual"
    assert {m["status"] for m in await messages_of(client, admin, endpoint)} == {"failed"}
    refused = await client.post(f"{base}/recover", headers=admin, json={"since": since.isoformat()})
    assert refused.status_code == 409 and refused.json()["code"] == "webhook_endpoint_disabled"
    await client.patch(base, headers=admin, json={"enabled": True})
    receiver.respond = None
    recovered = await client.post(f"{base}/recover", headers=admin, json={"since": since.isoformat()})
    assert recovered.json() == {"queued": 1}
    await deliveries.run()
    statuses = {m["event_type"] + m["status"] for m in await messages_of(client, admin, endpoint, status="delivered")}
    assert statuses == {"person.createddelivered"}
    assert len(await messages_of(client, admin, endpoint, status="failed")) == 1


async def test_a_test_ping_is_delivered(client, admin, receiver, deliveries) -> None:
    endpoint = await register(client, admin, receiver, event_types=["program.*"])
    ping = await client.post(f"{API}/webhook-endpoints/{endpoint['id']}/test", headers=admin)
    assert ping.status_code == 202, ping.text
    await deliveries.run()
    [got] = receiver.requests
    assert got.json["type"] == "webhook.ping" and got.json["data"] == {"endpoint_id": endpoint["id"]}
    assert isinstance(got.verified, dict)


async def test_custom_headers_travel_with_each_delivery(client, admin, receiver, deliveries, org) -> None:
    await register(client, admin, receiver, headers={"X-Tenant": "acme"})
    await org.person("Pat Header")
    await deliveries.run()
    assert receiver.requests[0].headers["x-tenant"] == "acme"


async def test_the_address_is_checked_again_when_connecting(
    client, admin, receiver, deliveries, org, container
) -> None:
    """DNS rebinding: the name resolves to a public address at registration, to a private one later."""
    answers = iter([ipaddress.ip_address("93.184.216.34"), ipaddress.ip_address("10.1.2.3")])

    async def resolver(host: str, port: int) -> list[Any]:
        return [next(answers)]

    guard = container.webhook_sender.guard
    original = guard.resolver
    guard.resolver = resolver
    try:
        response = await client.post(
            f"{API}/webhook-endpoints", headers=admin, json={"url": "https://hooks.example.test/in"}
        )
        assert response.status_code == 201, response.text
        endpoint = response.json()
        await org.person("Pat Rebind")
        await deliveries.run()
    finally:
        guard.resolver = original
    [message] = await messages_of(client, admin, endpoint)
    [attempt] = (await detail(client, admin, endpoint, message["id"]))["attempt_log"]
    assert attempt["outcome"] == "refused" and "10.1.2.3" in attempt["error"]
    assert receiver.requests == []


async def test_fan_out_is_idempotent_per_endpoint_and_event(
    client, admin, receiver, deliveries, org, container
) -> None:
    endpoint = await register(client, admin, receiver)
    await org.person("Pat Twice")
    await webhook_delivery.fan_out(container.uow())
    async with container.engine.begin() as connection:  # as if a worker died before marking the batch
        await connection.execute(update(OutboxRow.__table__).values(dispatched_at=None))  # type: ignore[attr-defined]
    await webhook_delivery.fan_out(container.uow())
    async with container.engine.connect() as connection:
        rows = (await connection.execute(select(WebhookMessageRow.__table__))).all()  # type: ignore[attr-defined]
    assert len(rows) == 1
    await deliveries.run()
    assert len(await messages_of(client, admin, endpoint)) == 1 and len(receiver.requests) == 1


@pytest.mark.parametrize("limit", [2])
async def test_a_rate_limited_endpoint_is_paced(client, admin, receiver, deliveries, org, limit) -> None:
    await register(client, admin, receiver, rate_limit_per_second=limit)
    for n in range(4):
        await org.person(f"Pat Paced{n}")
    loop = asyncio.get_running_loop()
    started = loop.time()
    await deliveries.run()
    elapsed = loop.time() - started
    assert len(receiver.requests) == 4
    assert elapsed >= 3 / limit - 0.05  # the 4th of 4 waits 3 / rate seconds
