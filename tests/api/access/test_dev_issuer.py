"""The development issuer is a small OpenID provider: discovery, a login page, authorization code
with PKCE (S256 only) and a token that the API accepts — what /docs' "Authorize" does on a laptop."""

from __future__ import annotations

import re
import secrets
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from authlib.oauth2.rfc7636 import create_s256_code_challenge

REDIRECT = "http://test/docs/oauth2-redirect"


def authorization(challenge: str, **overrides: str) -> dict[str, str]:
    return {
        "response_type": "code",
        "client_id": "turnabout-docs",
        "redirect_uri": REDIRECT,
        "state": "st4te",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "scope": "openid email",
        **overrides,
    }


async def sign_in(client: Any, params: dict[str, str], email: str, *roles: str) -> str:
    page = await client.get("/oauth/authorize", params=params)
    assert page.status_code == 200, page.text
    assert email in page.text  # the directory's people are offered
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    form = [*params.items(), ("email", email), *(("role", r) for r in roles)]
    answer = await client.post(
        "/oauth/authorize",
        content=urlencode(form),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 303, answer.text
    location = urlsplit(answer.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    query = parse_qs(location.query)
    assert query["state"] == ["st4te"]
    return query["code"][0]


async def redeem(client: Any, code: str, verifier: str, **overrides: str) -> Any:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": "turnabout-docs",
        "redirect_uri": REDIRECT,
        "code_verifier": verifier,
        **overrides,
    }
    return await client.post("/oauth/token", data=form)


async def test_discovery_advertises_the_code_flow_with_s256(client) -> None:
    discovery = (await client.get("/.well-known/openid-configuration")).json()
    assert discovery["authorization_endpoint"].endswith("/oauth/authorize")
    assert discovery["token_endpoint"].endswith("/oauth/token")
    assert discovery["code_challenge_methods_supported"] == ["S256"]
    assert discovery["response_types_supported"] == ["code"]


async def test_a_developer_signs_in_with_pkce_and_calls_the_api(client, org) -> None:
    await org.person("Hana Coordinator")
    verifier = secrets.token_urlsafe(48)
    code = await sign_in(
        client, authorization(create_s256_code_challenge(verifier)), org.email("Hana Coordinator"), "coordinator"
    )
    tokens = await redeem(client, code, verifier)
    assert tokens.status_code == 200, tokens.text
    assert tokens.headers["Cache-Control"] == "no-store"
    body = tokens.json()
    assert body["token_type"] == "Bearer" and body["id_token"]
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    me = await client.get("/api/v1/me", headers=headers)
    assert me.json()["email"] == org.email("Hana Coordinator")
    assert (await client.get("/api/v1/people", headers=headers)).status_code == 200  # the coordinator role
    again = await redeem(client, code, verifier)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"  # a code works once


async def test_a_wrong_verifier_or_redirect_gets_no_token(client, org) -> None:
    await org.person("Sam Junior")
    verifier = secrets.token_urlsafe(48)
    challenge = create_s256_code_challenge(verifier)
    code = await sign_in(client, authorization(challenge), org.email("Sam Junior"))
    stolen = await redeem(client, code, secrets.token_urlsafe(48))
    assert stolen.status_code == 400
    assert stolen.json()["error"] == "invalid_grant"
    code = await sign_in(client, authorization(challenge), org.email("Sam Junior"))
    elsewhere = await redeem(client, code, verifier, redirect_uri="http://test/elsewhere")
    assert elsewhere.status_code == 400


async def test_plain_pkce_foreign_redirects_and_implicit_flows_are_refused(client) -> None:
    verifier = secrets.token_urlsafe(48)
    challenge = create_s256_code_challenge(verifier)
    for overrides in (
        {"code_challenge_method": "plain", "code_challenge": verifier},
        {"code_challenge": ""},
        {"redirect_uri": "https://evil.example.com/callback"},
        {"response_type": "token"},
    ):
        refused = await client.get("/oauth/authorize", params=authorization(challenge, **overrides))
        assert refused.status_code == 400, overrides
        assert re.fullmatch(r"[a-z_]+", refused.json()["error"])
