"""Bearer-token authentication: only tokens from our issuer, for us, still valid, are accepted; in
development the app is that issuer and serves its keys; production never accepts dev tokens."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, OctKey, RSAKey
from pydantic import ValidationError

from app.adapters.auth.keys import DevSigningKey
from app.adapters.auth.tokens import InvalidToken, issue_dev_token
from app.bootstrap import build_container
from app.domain.actors import Role
from app.main import create_app
from app.settings import Settings

API = "/api/v1"
# Another party's key, made once: RSA key generation is slow.
STRANGER = RSAKey.generate_key(2048, parameters={"alg": "RS256"}, private=True)
STRANGER.ensure_kid()


def claims_for(container: Any, email: str = "sam.junior@example.com", **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "iss": container.settings.effective_issuer,
        "aud": container.settings.auth_audience,
        "sub": f"dev|{email}",
        "email": email,
        "email_verified": True,
        "roles": ["admin"],
        "iat": now,
        "nbf": now,
        "exp": now + 600,
        **overrides,
    }
    return {k: v for k, v in claims.items() if v is not None}


def signed(container: Any, claims: dict[str, Any], key: Any = None, header: dict[str, Any] | None = None) -> str:
    dev_key = container.dev_key.key
    return jwt.encode(header or {"alg": "RS256", "kid": dev_key.kid}, claims, key or dev_key)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def assert_unauthorized(response: httpx.Response, code: str) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["code"] == code


async def test_a_request_without_a_token_is_401_with_a_challenge(client) -> None:
    assert_unauthorized(await client.get(f"{API}/programs"), "unauthenticated")
    assert_unauthorized(
        await client.get(f"{API}/programs", headers={"Authorization": "Basic YWRhOnNlY3JldA=="}), "unauthenticated"
    )


async def test_a_valid_dev_token_is_accepted(client, container) -> None:
    response = await client.get(f"{API}/programs", headers=bearer(signed(container, claims_for(container))))
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    "forge",
    [
        "expired",
        "not_yet_valid",
        "wrong_audience",
        "wrong_issuer",
        "no_expiry",
        "no_subject",
        "foreign_key",
        "unknown_kid",
        "alg_none",
        "hs256_with_public_key",
        "tampered_payload",
        "garbage",
    ],
)
async def test_untrustworthy_tokens_are_refused(client, container, auth, forge) -> None:
    now = int(time.time())
    good = claims_for(container)
    dev_key = container.dev_key.key
    stranger = STRANGER
    if forge == "expired":
        token = auth("sam.junior@example.com", Role.ADMIN, ttl=-120)["Authorization"].removeprefix("Bearer ")
    elif forge == "not_yet_valid":
        token = signed(container, {**good, "nbf": now + 3600, "exp": now + 7200})
    elif forge == "wrong_audience":
        token = signed(container, {**good, "aud": "some-other-api"})
    elif forge == "wrong_issuer":
        token = signed(container, {**good, "iss": "https://evil.example.com"})
    elif forge == "no_expiry":
        token = signed(container, claims_for(container, exp=None))
    elif forge == "no_subject":
        token = signed(container, claims_for(container, sub=None))
    elif forge == "foreign_key":  # right kid, wrong key: a bad signature
        token = signed(container, good, key=stranger, header={"alg": "RS256", "kid": dev_key.kid})
    elif forge == "unknown_kid":
        token = signed(container, good, key=stranger, header={"alg": "RS256", "kid": "someone-elses"})
    elif forge == "alg_none":
        token = f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(good)}."
    elif forge == "hs256_with_public_key":  # the classic algorithm-confusion attack
        secret = OctKey.import_key(json.dumps(dev_key.as_dict(private=False)).encode())
        token = jwt.encode({"alg": "HS256", "kid": dev_key.kid}, good, secret, algorithms=["HS256"])
    elif forge == "tampered_payload":
        header, _, signature = signed(container, {**good, "roles": []}).split(".")
        token = f"{header}.{b64(good)}.{signature}"
    else:
        token = "not.a.jwt"
    assert_unauthorized(await client.get(f"{API}/programs", headers=bearer(token)), "invalid_token")


async def test_roles_come_from_the_claim_and_unknown_roles_grant_nothing(client, container, org) -> None:
    await org.person("Sam Junior")
    pretend = claims_for(container, roles=["superuser", "root"])
    listed = await client.get(f"{API}/people", headers=bearer(signed(container, pretend)))
    assert listed.status_code == 403
    assert listed.json()["code"] == "directory_restricted"
    spaced = claims_for(container, roles="employee coordinator")
    assert (await client.get(f"{API}/people", headers=bearer(signed(container, spaced)))).status_code == 200


async def test_an_identity_keeps_its_person_when_the_idp_changes_the_email(client, container, org) -> None:
    sam = await org.person("Sam Junior")
    first = claims_for(container, email=org.email("Sam Junior"), roles=[])
    assert (await client.get(f"{API}/me", headers=bearer(signed(container, first)))).json()["id"] == str(sam)
    renamed = {**first, "email": "sam.j@newdomain.example"}
    me = await client.get(f"{API}/me", headers=bearer(signed(container, renamed)))
    assert me.json()["id"] == str(sam)


async def test_a_token_for_someone_not_in_the_directory_is_no_person(client, auth) -> None:
    stranger = auth("nobody@example.com")
    response = await client.get(f"{API}/me", headers=stranger)
    assert response.status_code == 403
    assert response.json()["code"] == "actor_not_a_person"


# --- the development issuer ---------------------------------------------------------------------------
async def test_development_serves_the_public_keys_that_verify_its_tokens(client, container, auth) -> None:
    jwks = await client.get("/.well-known/jwks.json")
    assert jwks.status_code == 200
    keys = jwks.json()["keys"]
    assert len(keys) == 1
    assert "d" not in keys[0] and "p" not in keys[0]  # public only
    token = auth("sam.junior@example.com")["Authorization"].removeprefix("Bearer ")
    decoded = jwt.decode(token, KeySet.import_key_set(jwks.json()), algorithms=["RS256"])
    assert decoded.claims["email"] == "sam.junior@example.com"
    assert decoded.header["kid"] == keys[0]["kid"]

    discovery = (await client.get("/.well-known/openid-configuration")).json()
    assert discovery["issuer"] == container.settings.effective_issuer
    assert discovery["jwks_uri"].endswith("/.well-known/jwks.json")


def test_production_without_an_issuer_is_refused() -> None:
    with pytest.raises(ValidationError, match="AUTH_ISSUER"):
        Settings(environment="production", auth_issuer=None)


IDP = "https://idp.example.test"


def idp_transport(idp_key: RSAKey, calls: list[str]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        if request.url.path == "/.well-known/openid-configuration":
            return httpx.Response(200, json={"issuer": IDP, "jwks_uri": f"{IDP}/keys"})
        if request.url.path == "/keys":
            return httpx.Response(200, json={"keys": [idp_key.as_dict(private=False)]})
        return httpx.Response(404)

    return httpx.MockTransport(handler)


@pytest.mark.parametrize("environment", ["production", "development"])
async def test_with_an_external_issuer_there_is_no_dev_key_and_dev_tokens_are_refused(
    tmp_path: Path, environment: str
) -> None:
    settings = Settings(
        environment=environment,
        auth_issuer=IDP,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'unused.db'}",
        dev_signing_key_path=tmp_path / "dev-key.json",
        log_level="warning",
    )
    container = build_container(settings)
    idp_key = STRANGER
    calls: list[str] = []
    container.validator.keys.client = httpx.AsyncClient(transport=idp_transport(idp_key, calls))  # type: ignore[attr-defined]
    try:
        assert container.dev_key is None
        transport = httpx.ASGITransport(app=create_app(settings, container=container))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            assert (await client.get("/.well-known/jwks.json")).status_code == 404
            assert (await client.get("/.well-known/openid-configuration")).status_code == 404

        now = int(time.time())
        claims = {"iss": IDP, "aud": "turnabout", "sub": "u-1", "email": "ada@example.com", "exp": now + 600}
        verified = await container.validator.validate(jwt.encode({"alg": "RS256", "kid": idp_key.kid}, claims, idp_key))
        assert (verified.issuer, verified.subject, verified.roles) == (IDP, "u-1", frozenset({Role.EMPLOYEE}))

        dev_key = DevSigningKey(tmp_path / "dev-key.json")
        dev_token = issue_dev_token(
            dev_key, issuer=IDP, audience="turnabout", email="ada@example.com", roles=[Role.ADMIN], ttl_seconds=600
        )
        with pytest.raises(InvalidToken):
            await container.validator.validate(dev_token)
        # An unknown kid refetches the IdP's keys once; a flood of forged kids does not flood the IdP.
        fetched = len(calls)
        for _ in range(3):
            with pytest.raises(InvalidToken):
                await container.validator.validate(dev_token)
        assert len(calls) == fetched
    finally:
        await container.aclose()
