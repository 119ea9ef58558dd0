"""The door's manners: RFC 6750 challenges, no caching of personal data, nosniff, HSTS in production,
throttling of repeated authentication failures, and settings that hide /docs and /openapi.json and
protect /metrics."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from app.adapters.auth.throttle import FailureThrottle
from app.bootstrap import build_container
from app.domain.actors import Role
from app.main import create_app
from app.settings import Settings

API = "/api/v1"


async def test_challenges_follow_rfc_6750(client) -> None:
    missing = await client.get(f"{API}/programs")
    assert missing.headers["WWW-Authenticate"] == 'Bearer realm="turnabout"'
    invalid = await client.get(f"{API}/programs", headers={"Authorization": "Bearer not.a.jwt"})
    assert invalid.status_code == 401
    assert invalid.headers["WWW-Authenticate"].startswith('Bearer realm="turnabout", error="invalid_token"')


async def test_personal_data_is_not_stored_by_caches_and_nothing_is_sniffed(client, auth, org) -> None:
    await org.person("Sam Junior")
    me = await client.get(f"{API}/me", headers=auth(org.email("Sam Junior")))
    assert me.status_code == 200
    assert me.headers["Cache-Control"] == "no-store"
    assert me.headers["X-Content-Type-Options"] == "nosniff"
    refused = await client.get(f"{API}/me")
    assert refused.headers["Cache-Control"] == "no-store"
    health = await client.get("/healthz")
    assert health.headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in health.headers  # development: plain HTTP on a laptop
    graphql = await client.post("/graphql", json={"query": "{ me { id } }"}, headers=auth(org.email("Sam Junior")))
    assert graphql.headers["Cache-Control"] == "no-store"


async def test_repeated_authentication_failures_are_throttled_per_client(client, auth, org, container) -> None:
    await org.person("Sam Junior")
    original = container.throttle
    container.throttle = FailureThrottle("3/minute")
    try:
        for _ in range(3):
            assert (await client.get(f"{API}/programs", headers={"Authorization": "Bearer x.y.z"})).status_code == 401
        throttled = await client.get(f"{API}/programs", headers={"Authorization": "Bearer x.y.z"})
        assert throttled.status_code == 429
        assert throttled.json()["code"] == "too_many_authentication_failures"
        assert 1 <= int(throttled.headers["Retry-After"]) <= 60
        # the client is throttled before any token is checked, a good one included
        good = await client.get(f"{API}/programs", headers=auth(org.email("Sam Junior")))
        assert good.status_code == 429
        graphql = await client.post("/graphql", json={"query": "{ me { id } }"}, headers={"Authorization": "Bearer x"})
        assert graphql.status_code == 429
    finally:
        container.throttle = original


async def test_successful_calls_are_never_throttled(client, auth, org, container) -> None:
    await org.person("Sam Junior")
    original = container.throttle
    container.throttle = FailureThrottle("2/minute")
    try:
        for _ in range(10):
            assert (await client.get(f"{API}/programs", headers=auth(org.email("Sam Junior")))).status_code == 200
    finally:
        container.throttle = original


def production(tmp_path: Path, **options: Any) -> Settings:
    return Settings(
        environment="production",
        auth_issuer="https://idp.example.test",
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'unused.db'}",
        log_level="warning",
        **options,
    )


@pytest.mark.parametrize(
    ("options", "docs_status"),
    [({}, 404), ({"docs_enabled": True}, 200)],
)
async def test_production_hides_the_docs_unless_told_and_sends_hsts(tmp_path, options, docs_status) -> None:
    settings = production(tmp_path, **options)
    container = build_container(settings)
    try:
        transport = httpx.ASGITransport(app=create_app(settings, container=container))
        async with httpx.AsyncClient(transport=transport, base_url="https://test") as client:
            for path in ("/docs", "/redoc", "/openapi.json"):
                assert (await client.get(path)).status_code == docs_status, path
            health = await client.get("/healthz")
            assert health.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
            metrics = await client.get("/metrics")
            assert metrics.status_code == 401  # protected in production
    finally:
        await container.aclose()


async def test_protected_metrics_need_an_admin_or_the_metrics_scope(tmp_path, container, auth, org) -> None:
    await org.person("Ada Admin")
    await org.person("Sam Junior")
    from app.domain.actors import Actor
    from app.services import api_keys

    admin_actor = Actor(subject="a", issuer="t", roles=frozenset({Role.ADMIN}))
    _, scraper, _ = await _key(container, admin_actor, api_keys, "metrics:read")
    _, other, _ = await _key(container, admin_actor, api_keys, "people:read")
    settings = container.settings.model_copy(update={"metrics_public": False})
    app = create_app(settings, container=container)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        assert (await client.get("/metrics")).status_code == 401
        employee = await client.get("/metrics", headers=auth(org.email("Sam Junior")))
        assert employee.status_code == 403
        assert employee.json()["code"] == "metrics_protected"
        assert (await client.get("/metrics", headers=auth(org.email("Ada Admin"), Role.ADMIN))).status_code == 200
        assert (await client.get("/metrics", headers={"Authorization": f"Bearer {scraper}"})).status_code == 200
        wrong = await client.get("/metrics", headers={"Authorization": f"Bearer {other}"})
        assert wrong.status_code == 403
        assert wrong.json()["code"] == "insufficient_scope"


async def _key(container: Any, actor: Any, service: Any, scope: str) -> tuple[Any, str, None]:
    key, secret = await service.create_api_key(container.uow(), actor, name="scraper", scopes=[scope], expires_at=None)
    return key, secret, None
