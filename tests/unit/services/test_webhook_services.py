"""Webhook endpoint and delivery use cases, through the in-memory unit of work and a scripted sender."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest

from app.domain.actors import Actor, ActorKind, Role, Scope
from app.domain.errors import DomainError
from app.domain.ports import SendResult
from app.domain.webhooks import DELIVER_KIND, AttemptOutcome, MessageStatus
from app.services import webhook_delivery, webhooks
from app.services.webhooks import EndpointChanges, EndpointDraft

ADMIN = Actor(subject="admin", issuer="tests", roles=frozenset({Role.ADMIN}))
HRIS = Actor(subject="hris", issuer="tests", kind=ActorKind.API_KEY, scopes=frozenset({Scope.PEOPLE_WRITE.value}))
HOOKS = Actor(subject="hooks", issuer="tests", kind=ActorKind.API_KEY, scopes=frozenset({Scope.WEBHOOKS_MANAGE.value}))
COORDINATOR = Actor(subject="hana", issuer="tests", roles=frozenset({Role.COORDINATOR}))


@dataclass
class ScriptedSender:
    """Answers each send with the next scripted result (200 once the script is spent)."""

    script: list[SendResult] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)
    refuse_urls: set[str] = field(default_factory=set)

    async def check_url(self, url: str) -> None:
        if url in self.refuse_urls:
            raise DomainError(code="webhook_url_forbidden", detail="private", kind="invalid")

    async def send(
        self, url: str, *, body: str, message_id: str, secrets: list[str], headers: dict[str, str]
    ) -> SendResult:
        self.sent.append({"url": url, "body": body, "id": message_id, "secrets": secrets, "headers": headers})
        return self.script.pop(0) if self.script else SendResult(AttemptOutcome.SUCCESS, 200, 3)


async def endpoint(uow: Any, sender: ScriptedSender, **fields: Any) -> Any:
    draft = EndpointDraft(url=fields.pop("url", "https://hr.example.com/in"), event_types=fields.pop("types", []))
    return await webhooks.create_webhook_endpoint(uow(), ADMIN, draft=draft, sender=sender, allow_http=False)


async def test_only_admins_and_webhooks_manage_integrations_manage_endpoints(uow) -> None:
    draft = EndpointDraft(url="https://hr.example.com/in", event_types=[])
    for caller in (HRIS, COORDINATOR):
        with pytest.raises(DomainError) as refused:
            await webhooks.create_webhook_endpoint(uow(), caller, draft=draft, sender=ScriptedSender(), allow_http=True)
        assert refused.value.code == "webhooks_admin_only"
    for caller in (ADMIN, HOOKS):
        made = await webhooks.create_webhook_endpoint(
            uow(), caller, draft=draft, sender=ScriptedSender(), allow_http=True
        )
        assert made.url == draft.url


@pytest.mark.parametrize(
    ("url", "types", "allow_http", "code"),
    [
        ("http://hr.example.com/in", [], False, "webhook_url_not_https"),
        ("ftp://hr.example.com/in", [], True, "webhook_url_invalid"),
        ("https://user:pw@hr.example.com/in", [], True, "webhook_url_invalid"),
        ("https://hr.example.com/in", ["person.exploded"], True, "webhook_event_type_unknown"),
        ("https://hr.example.com/in", ["nothing.*"], True, "webhook_event_type_unknown"),
        ("https://private.example.com/in", [], True, "webhook_url_forbidden"),
    ],
)
async def test_registration_rules(uow, url: str, types: list[str], allow_http: bool, code: str) -> None:
    sender = ScriptedSender(refuse_urls={"https://private.example.com/in"})
    with pytest.raises(DomainError) as refused:
        await webhooks.create_webhook_endpoint(
            uow(), ADMIN, draft=EndpointDraft(url=url, event_types=types), sender=sender, allow_http=allow_http
        )
    assert refused.value.code == code


async def test_http_is_admitted_where_the_deployment_allows_it(uow) -> None:
    made = await webhooks.create_webhook_endpoint(
        uow(),
        ADMIN,
        draft=EndpointDraft(url="http://hr.example.com/in", event_types=[]),
        sender=ScriptedSender(),
        allow_http=True,
    )
    assert made.url == "http://hr.example.com/in" and made.secret.startswith("whsec_")


async def test_bad_headers_rate_limits_and_descriptions_are_refused(uow) -> None:
    for draft, code in [
        (
            EndpointDraft(url="https://a.example.com", event_types=[], headers={"webhook-id": "x"}),
            "webhook_headers_invalid",
        ),
        (
            EndpointDraft(url="https://a.example.com", event_types=[], headers={"X-A": "a\nb"}),
            "webhook_headers_invalid",
        ),
        (
            EndpointDraft(url="https://a.example.com", event_types=[], rate_limit_per_second=0),
            "webhook_rate_limit_out_of_range",
        ),
        (
            EndpointDraft(url="https://a.example.com", event_types=[], description="x" * 501),
            "webhook_description_too_long",
        ),
    ]:
        with pytest.raises(DomainError) as refused:
            await webhooks.create_webhook_endpoint(uow(), ADMIN, draft=draft, sender=ScriptedSender(), allow_http=False)
        assert refused.value.code == code


async def test_fan_out_then_delivery_and_the_retry_ladder(uow, store, clock, cast) -> None:
    sender = ScriptedSender(script=[SendResult(AttemptOutcome.HTTP_ERROR, 500, 4)])
    made = await endpoint(uow, sender, types=["person.*"])
    await cast.person("Sam Junior")
    taken, written = await webhook_delivery.fan_out(uow())
    assert taken >= 1 and written == 1
    report = await webhook_delivery.deliver_due(uow, sender, rng=random.Random(1))
    assert (report.claimed, report.failed) == (1, 1)
    [message] = store.webhook_messages.values()
    assert message.status is MessageStatus.PENDING and message.attempts == 1
    assert timedelta(seconds=4.5) <= message.next_attempt_at - clock.now() <= timedelta(seconds=5.5)
    assert store.webhook_endpoints[made.id].failing_since == clock.now()
    clock.current += timedelta(seconds=6)
    report = await webhook_delivery.deliver_due(uow, sender, rng=random.Random(1))
    assert report.delivered == 1
    [message] = store.webhook_messages.values()
    assert message.status is MessageStatus.DELIVERED and store.webhook_endpoints[made.id].failing_since is None
    assert [s["id"] for s in sender.sent] == [str(message.event_id)] * 2


async def test_a_gone_endpoint_is_disabled_with_its_event(uow, store, cast) -> None:
    sender = ScriptedSender(script=[SendResult(AttemptOutcome.HTTP_ERROR, 410, 4)])
    made = await endpoint(uow, sender)
    await cast.person("Sam Junior")
    await webhook_delivery.fan_out(uow())
    report = await webhook_delivery.deliver_due(uow, sender)
    assert report.disabled == 1
    stored = store.webhook_endpoints[made.id]
    assert (stored.enabled, stored.disabled_reason) == (False, "gone")
    assert store.event_types()[-1] == "webhook_endpoint.disabled"


async def test_rotation_keeps_the_old_secret_for_the_grace_period(uow, store, clock) -> None:
    sender = ScriptedSender()
    made = await endpoint(uow, sender)
    rotated = await webhooks.rotate_webhook_secret(uow(), ADMIN, endpoint_id=made.id, grace=timedelta(hours=2))
    assert rotated.signing_secrets(clock.now()) == [rotated.secret, made.secret]
    assert rotated.signing_secrets(clock.now() + timedelta(hours=2)) == [rotated.secret]
    with pytest.raises(DomainError) as refused:
        await webhooks.rotate_webhook_secret(uow(), ADMIN, endpoint_id=made.id, grace=timedelta(days=8))
    assert refused.value.code == "webhook_rotation_grace_out_of_range"


async def test_pings_redeliveries_and_recoveries_ask_for_the_delivery_lanes(uow, store, clock) -> None:
    sender = ScriptedSender()
    made = await endpoint(uow, sender)
    store.jobs.clear()
    ping = await webhooks.send_webhook_test(uow(), ADMIN, endpoint_id=made.id)
    assert {job.kind for job in store.jobs} == {DELIVER_KIND} and ping.event_type == "webhook.ping"
    await webhook_delivery.deliver_due(uow, sender)
    store.jobs.clear()
    await webhooks.redeliver_webhook_message(uow(), ADMIN, endpoint_id=made.id, message_id=ping.id)
    assert {job.kind for job in store.jobs} == {DELIVER_KIND}
    await webhooks.update_webhook_endpoint(
        uow(), ADMIN, endpoint_id=made.id, changes=EndpointChanges(enabled=False), expected_version=None,
        sender=sender, allow_http=False,
    )  # fmt: skip
    assert store.webhook_messages[ping.id].status is MessageStatus.FAILED
    with pytest.raises(DomainError) as refused:
        await webhooks.send_webhook_test(uow(), ADMIN, endpoint_id=made.id)
    assert refused.value.code == "webhook_endpoint_disabled"
    await webhooks.update_webhook_endpoint(
        uow(), ADMIN, endpoint_id=made.id, changes=EndpointChanges(enabled=True), expected_version=None,
        sender=sender, allow_http=False,
    )  # fmt: skip
    store.jobs.clear()
    queued = await webhooks.recover_webhook_messages(
        uow(), ADMIN, endpoint_id=made.id, since=clock.now() - timedelta(hours=1)
    )
    assert queued == 1 and {job.kind for job in store.jobs} == {DELIVER_KIND}


async def test_a_rate_limited_endpoint_takes_ten_seconds_worth_per_batch(uow, store, cast) -> None:
    sender = ScriptedSender()
    made = await endpoint(uow, sender)
    await webhooks.update_webhook_endpoint(
        uow(), ADMIN, endpoint_id=made.id, changes=EndpointChanges(rate_limit_per_second=1), expected_version=None,
        sender=sender, allow_http=False,
    )  # fmt: skip
    for _ in range(12):
        await webhooks.send_webhook_test(uow(), ADMIN, endpoint_id=made.id)
    batch, surplus = webhook_delivery._paced(
        sorted(store.webhook_messages.values(), key=lambda m: m.id), dict(store.webhook_endpoints), cast.clock.now()
    )
    assert (len(batch), len(surplus)) == (10, 2)


async def test_the_delivery_log_belongs_to_its_endpoint(uow, store) -> None:
    sender = ScriptedSender()
    first = await endpoint(uow, sender)
    second = await endpoint(uow, sender, url="https://other.example.com/in")
    ping = await webhooks.send_webhook_test(uow(), ADMIN, endpoint_id=first.id)
    with pytest.raises(DomainError) as refused:
        await webhooks.get_webhook_message(uow(), ADMIN, endpoint_id=second.id, message_id=ping.id)
    assert refused.value.code == "webhook_message_not_found"
    await webhooks.delete_webhook_endpoint(uow(), ADMIN, endpoint_id=first.id, expected_version=None)
    assert ping.id not in store.webhook_messages and first.id not in store.webhook_endpoints
