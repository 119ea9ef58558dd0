"""An external IdP's bad days: keys kept past their TTL while it is down, back-off between attempts,
one fetch for many concurrent requests, a refetch on a new ``kid`` (rotation) at most once per
cooldown, and 503 ``identity_provider_unavailable`` with ``Retry-After`` — never 500 — when no good
key was ever had. Roles from nested claim paths and from groups; service clients' scopes."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from app.adapters.auth.keys import IdentityProviderUnavailable, RemoteJwks
from app.adapters.auth.tokens import TokenValidator
from app.adapters.persistence.migrations import upgrade
from app.bootstrap import build_container
from app.domain.actors import Role
from app.main import create_app
from app.settings import Settings

IDP = "https://idp.example.test"
KEY_1 = RSAKey.generate_key(2048, parameters={"alg": "RS256", "kid": "k1"}, private=True)
KEY_2 = RSAKey.generate_key(2048, parameters={"alg": "RS256", "kid": "k2"}, private=True)


class FakeIdp:
    """A scriptable IdP: its keys, whether it is up, and every request it saw."""

    def __init__(self) -> None:
        self.keys = [KEY_1]
        self.up = True
        self.calls: list[str] = []

    def transport(self) -> httpx.MockTransport:
        async def handle(request: httpx.Request) -> httpx.Response:
            self.calls.append(request.url.path)
            await asyncio.sleep(0.01)
            if not self.up:
                raise httpx.ConnectTimeout("down", request=request)
            if request.url.path == "/.well-known/openid-configuration":
                return httpx.Response(
                    200,
                    json={
                        "issuer": IDP,
                        "jwks_uri": f"{IDP}/keys",
                        "authorization_endpoint": f"{IDP}/authorize",
                        "token_endpoint": f"{IDP}/token",
                    },
                )
            return httpx.Response(200, json={"keys": [k.as_dict(private=False) for k in self.keys]})

        return httpx.MockTransport(handle)


class Timer:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def jwks(idp: FakeIdp, timer: Timer) -> RemoteJwks:
    client = httpx.AsyncClient(transport=idp.transport())
    return RemoteJwks(client=client, issuer=IDP, jwks_url=None, ttl_seconds=300, cooldown_seconds=10, timer=timer)


def token(key: RSAKey, **claims: Any) -> str:
    now = int(time.time())
    body = {"iss": IDP, "aud": "turnabout", "sub": "u-1", "email": "ada@example.com", "exp": now + 600, **claims}
    return jwt.encode({"alg": "RS256", "kid": key.kid}, body, key)


def validator(keys: RemoteJwks, **options: Any) -> TokenValidator:
    defaults: dict[str, Any] = {
        "issuer": IDP,
        "audience": "turnabout",
        "algorithms": ["RS256"],
        "roles_claim": "roles",
        "email_claim": "email",
        "leeway_seconds": 30,
    }
    return TokenValidator(keys=keys, **{**defaults, **options})


async def test_good_keys_outlive_their_ttl_while_the_idp_is_down_with_back_off() -> None:
    idp, timer = FakeIdp(), Timer()
    keys = jwks(idp, timer)
    check = validator(keys)
    assert (await check.validate(token(KEY_1))).subject == "u-1"
    assert idp.calls == ["/.well-known/openid-configuration", "/keys"]
    idp.up = False
    timer.now += 301  # the TTL passed while the IdP is down
    assert (await check.validate(token(KEY_1))).subject == "u-1"  # the last good keys still serve
    attempts = len(idp.calls)
    for _ in range(5):
        await check.validate(token(KEY_1))
    assert len(idp.calls) == attempts  # back-off: no knocking on every request
    timer.now += 11  # first back-off (cooldown) passed: one more attempt, which fails again
    await check.validate(token(KEY_1))
    assert len(idp.calls) == attempts + 1
    timer.now += 11  # the back-off doubled (20 s): not yet
    await check.validate(token(KEY_1))
    assert len(idp.calls) == attempts + 1
    idp.up = True
    timer.now += 30
    await check.validate(token(KEY_1))
    assert len(idp.calls) == attempts + 2  # recovered: fresh keys again


async def test_concurrent_requests_share_one_fetch() -> None:
    idp, timer = FakeIdp(), Timer()
    check = validator(jwks(idp, timer))
    results = await asyncio.gather(*(check.validate(token(KEY_1)) for _ in range(20)))
    assert {r.subject for r in results} == {"u-1"}
    assert idp.calls == ["/.well-known/openid-configuration", "/keys"]


async def test_a_rotated_key_is_picked_up_once_and_forged_kids_do_not_flood_the_idp() -> None:
    idp, timer = FakeIdp(), Timer()
    check = validator(jwks(idp, timer))
    await check.validate(token(KEY_1))
    timer.now += 11
    idp.keys = [KEY_1, KEY_2]  # the IdP rotates
    assert (await check.validate(token(KEY_2))).subject == "u-1"
    fetched = len(idp.calls)
    forger = RSAKey.generate_key(2048, parameters={"alg": "RS256", "kid": "forged"}, private=True)
    for _ in range(10):
        with pytest.raises(Exception, match="not valid"):
            await check.validate(token(forger))
    assert len(idp.calls) == fetched
    assert (await check.validate(token(KEY_2))).subject == "u-1"  # no refetch for a known kid


async def test_with_no_good_keys_the_idp_outage_is_a_503_with_retry_after(tmp_path: Path) -> None:
    idp = FakeIdp()
    idp.up = False
    url = f"sqlite+aiosqlite:///{tmp_path / 'idp.db'}"
    await asyncio.to_thread(upgrade, url)
    settings = Settings(
        auth_issuer=IDP,
        database_url=url,
        dev_signing_key_path=tmp_path / "key.json",
        log_level="warning",
    )
    container = build_container(settings)
    container.validator.keys.client = httpx.AsyncClient(transport=idp.transport())  # type: ignore[attr-defined]
    try:
        with pytest.raises(IdentityProviderUnavailable):
            await container.validator.keys.key_set()
        transport = httpx.ASGITransport(app=create_app(settings, container=container))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            answer = await client.get("/api/v1/programs", headers={"Authorization": f"Bearer {token(KEY_1)}"})
            assert answer.status_code == 503, answer.text
            assert answer.json()["code"] == "identity_provider_unavailable"
            assert int(answer.headers["Retry-After"]) >= 1
            idp.up = True
            container.validator.keys._failures = 0  # type: ignore[attr-defined]  # back-off over
            container.validator.keys._attempted_at = float("-inf")  # type: ignore[attr-defined]
            assert (await client.get("/openapi.json")).status_code == 200
            answer = await client.get("/api/v1/programs", headers={"Authorization": f"Bearer {token(KEY_1)}"})
            assert answer.status_code == 200, answer.text
    finally:
        await container.aclose()


async def test_the_docs_sign_in_uses_the_idps_discovered_endpoints(tmp_path: Path) -> None:
    idp = FakeIdp()
    settings = Settings(
        auth_issuer=IDP,
        auth_docs_client_id="turnabout-swagger",
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'unused.db'}",
        log_level="warning",
    )
    container = build_container(settings)
    container.validator.keys.client = httpx.AsyncClient(transport=idp.transport())  # type: ignore[attr-defined]
    try:
        app = create_app(settings, container=container)
        async with app.router.lifespan_context(app):
            scheme = app.openapi()["components"]["securitySchemes"]["oidc"]
        assert scheme["flows"]["authorizationCode"]["authorizationUrl"] == f"{IDP}/authorize"
        assert scheme["flows"]["authorizationCode"]["tokenUrl"] == f"{IDP}/token"
        assert app.swagger_ui_init_oauth == {
            "clientId": "turnabout-swagger",
            "usePkceWithAuthorizationCodeGrant": True,
            "scopes": "openid email profile",
        }
    finally:
        await container.aclose()


async def test_roles_from_a_nested_claim_path_and_from_mapped_groups() -> None:
    idp, timer = FakeIdp(), Timer()
    keycloak = validator(jwks(idp, timer), roles_claim="realm_access.roles")
    verified = await keycloak.validate(token(KEY_1, realm_access={"roles": ["coordinator", "offline_access"]}))
    assert verified.roles == {Role.EMPLOYEE, Role.COORDINATOR}
    entra = validator(
        jwks(idp, timer), groups_claim="groups", group_roles={"HR-Mentoring-Admins": "admin", "HR-Staff": "coordinator"}
    )
    verified = await entra.validate(token(KEY_1, groups=["HR-Mentoring-Admins", "Everyone"]))
    assert verified.roles == {Role.EMPLOYEE, Role.ADMIN}
    nothing = await entra.validate(token(KEY_1, groups=["admin"], roles=None))  # a group is not a role by its name
    assert nothing.roles == {Role.EMPLOYEE}


async def test_a_client_credentials_token_is_a_service_client_with_its_scopes(client, auth, org) -> None:
    await org.person("Sam Junior")
    hris = auth("hris-client@example.com", Role.INTEGRATION, sub="hris-client", scopes=("people:read", "bogus"))
    assert (await client.get("/api/v1/people", headers=hris)).status_code == 200
    refused = await client.put("/api/v1/people", headers=hris, json={"people": []})
    assert refused.status_code == 403
    assert refused.json()["code"] == "insufficient_scope"
    me = await client.get("/api/v1/me", headers=hris)
    assert me.json()["code"] == "insufficient_scope"  # never a person, whatever its e-mail
