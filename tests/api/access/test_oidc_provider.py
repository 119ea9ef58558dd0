"""Against a real, certified OpenID provider: ``oidc-provider`` (Node), started by this module.

Its tokens are accepted; a rotated key (new ``kid``) is picked up with one fetch; ``email_verified``
is honoured; roles come from a nested claim path (Keycloak's ``realm_access.roles``) and from groups
mapped to roles (Entra ID / Okta); client-credentials tokens of an integration carry its scopes; an
IdP that is down keeps the last good keys past their TTL, and one that is down or slow before any key
was had answers 503 ``identity_provider_unavailable`` with ``Retry-After``.

Needs Node (and the locked ``tests/idp`` packages, installed with ``npm ci`` on first use); skipped,
saying so, only when Node is absent.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from joserfc.jwk import RSAKey

from app.adapters.persistence.migrations import upgrade
from app.bootstrap import Container, build_container
from app.domain.people import PersonDetails
from app.main import create_app
from app.services import people
from app.settings import Settings
from tests.conftest import ADMIN, npm_ci

IDP_DIR = Path(__file__).resolve().parents[2] / "idp"
AUDIENCE = "api://turnabout"
SECRET = "a-client-secret-long-enough-for-the-provider"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="Node is not installed: the oidc-provider tests need it")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _key(kid: str) -> dict[str, Any]:
    return RSAKey.generate_key(2048, parameters={"alg": "RS256", "use": "sig", "kid": kid}, private=True).as_dict(
        private=True
    )


CLIENTS = {
    "sam": {"email": "sam.junior@example.com", "email_verified": True, "realm_access": {"roles": ["coordinator"]}},
    "mallory": {"email": "kim.other@example.com", "email_verified": False},
    "ada": {"email": "ada.admin@example.com", "email_verified": True, "groups": ["Turnabout Admins", "Everyone"]},
    "hris": {"realm_access": {"roles": ["integration"]}},
}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


CLOCK = Clock()


class OidcProvider:
    """oidc-provider in a child process; restartable with other keys, stoppable."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.port = _free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.keys = [_key("k1")]
        self.process: subprocess.Popen[bytes] | None = None
        clients = [
            {
                "client_id": name,
                "client_secret": SECRET,
                "grant_types": ["client_credentials"],
                "redirect_uris": [],
                "response_types": [],
                "token_endpoint_auth_method": "client_secret_post",
                "extra_claims": claims,
            }
            for name, claims in CLIENTS.items()
        ]
        (work / "clients.json").write_text(json.dumps(clients))

    def start(self) -> None:
        (self.work / "jwks.json").write_text(json.dumps({"keys": self.keys}))
        env = {
            "PATH": str(Path(NODE or "node").parent),
            "PORT": str(self.port),
            "JWKS_FILE": str(self.work / "jwks.json"),
            "CLIENTS_FILE": str(self.work / "clients.json"),
            "AUDIENCE": AUDIENCE,
        }
        log = (self.work / "idp.log").open("ab")
        self.process = subprocess.Popen([NODE or "node", "server.js"], cwd=IDP_DIR, env=env, stdout=log, stderr=log)
        for _ in range(100):
            try:
                if httpx.get(f"{self.issuer}/.well-known/openid-configuration", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError(f"oidc-provider did not start: {(self.work / 'idp.log').read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def rotate(self) -> None:
        """A new signing key first, the old one still published (a rotation as IdPs do it)."""
        self.stop()
        self.keys = [_key("k2"), *self.keys]
        self.start()

    def token(self, client: str, scope: str | None = None) -> str:
        form = {"grant_type": "client_credentials", "client_id": client, "client_secret": SECRET}
        if scope:
            form["scope"] = scope
        answer = httpx.post(f"{self.issuer}/token", data=form, timeout=10)
        assert answer.status_code == 200, answer.text
        return str(answer.json()["access_token"])


@pytest.fixture(scope="module")
def idp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProvider]:
    npm_ci(IDP_DIR, "oidc-provider")
    provider = OidcProvider(tmp_path_factory.mktemp("idp"))
    provider.start()
    yield provider
    provider.stop()


def settings_for(issuer: str, directory: Path, **options: Any) -> Settings:
    return Settings(
        environment="production",
        auth_issuer=issuer,
        auth_audience=AUDIENCE,
        auth_roles_claim="realm_access.roles",
        auth_group_roles={"Turnabout Admins": "admin"},
        database_url=f"sqlite+aiosqlite:///{directory / 'idp.db'}",
        log_level="warning",
        **options,
    )


@pytest.fixture(scope="module")
async def turnabout(idp: OidcProvider, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Container]:
    directory = tmp_path_factory.mktemp("idp-db")
    settings = settings_for(idp.issuer, directory, auth_jwks_cache_seconds=300, auth_jwks_refetch_cooldown_seconds=10)
    await asyncio.to_thread(upgrade, settings.database_url)
    container = build_container(settings)
    container.validator.keys.timer = CLOCK  # type: ignore[attr-defined]  # the key cache's time, moved by the tests
    for name in ("Sam Junior", "Kim Other", "Ada Admin"):
        given, family = name.split()
        details = PersonDetails(
            email=f"{given.lower()}.{family.lower()}@example.com", given_name=given, family_name=family
        )
        await people.create_person(container.uow(), ADMIN, details=details)
    yield container
    await container.aclose()


async def call(container: Container, method: str, path: str, token: str, **options: Any) -> httpx.Response:
    app = create_app(container.settings, container=container)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://test") as client:
        return await client.request(method, path, headers={"Authorization": f"Bearer {token}"}, **options)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_its_tokens_are_accepted_with_roles_from_a_nested_claim(idp, turnabout) -> None:
    token = idp.token("sam")
    me = await call(turnabout, "GET", "/api/v1/me", token)
    assert me.status_code == 200, me.text
    assert me.json()["email"] == "sam.junior@example.com"
    assert (await call(turnabout, "GET", "/api/v1/people", token)).status_code == 200  # realm role coordinator


async def test_an_unverified_email_is_not_linked(idp, turnabout) -> None:
    refused = await call(turnabout, "GET", "/api/v1/me", idp.token("mallory"))
    assert refused.status_code == 403
    assert refused.json()["code"] == "identity_not_linked"


async def test_groups_map_to_roles(idp, turnabout) -> None:
    keys = await call(turnabout, "GET", "/api/v1/api-keys", idp.token("ada"))
    assert keys.status_code == 200, keys.text


async def test_client_credentials_of_an_integration_carry_its_scopes(idp, turnabout) -> None:
    token = idp.token("hris", scope="people:read")
    assert (await call(turnabout, "GET", "/api/v1/people", token)).status_code == 200
    refused = await call(turnabout, "PUT", "/api/v1/people", token, json={"people": []})
    assert refused.status_code == 403
    assert refused.json()["code"] == "insufficient_scope"


async def test_a_rotated_key_is_picked_up_with_one_fetch_and_kept_while_the_idp_is_down(idp, turnabout) -> None:
    keys = turnabout.validator.keys
    await call(turnabout, "GET", "/api/v1/me", idp.token("sam"))
    CLOCK.now += 11  # past the refetch cooldown
    idp.rotate()
    rotated = idp.token("sam")
    before = keys.fetches  # type: ignore[attr-defined]
    assert (await call(turnabout, "GET", "/api/v1/me", rotated)).status_code == 200
    assert keys.fetches == before + 1  # type: ignore[attr-defined]
    assert (await call(turnabout, "GET", "/api/v1/me", idp.token("sam"))).status_code == 200
    assert keys.fetches == before + 1  # type: ignore[attr-defined]

    idp.stop()
    try:
        CLOCK.now += 301  # the keys' TTL passes while the IdP is down
        for _ in range(5):
            kept = await call(turnabout, "GET", "/api/v1/me", rotated)
            assert kept.status_code == 200, kept.text
        assert keys.fetches <= before + 2  # type: ignore[attr-defined]  # one attempt, then back-off
    finally:
        idp.start()


async def test_an_idp_down_or_slow_before_any_key_is_a_503(idp, tmp_path) -> None:
    token = idp.token("sam")
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()  # accepts connections, never answers: a slow IdP
    port = silent.getsockname()[1]
    try:
        for issuer in (f"http://127.0.0.1:{_free_port()}", f"http://127.0.0.1:{port}"):
            settings = settings_for(issuer, tmp_path, auth_idp_timeout_seconds=0.5)
            container = build_container(settings)
            try:
                answer = await call(container, "GET", "/api/v1/programs", token)
                assert answer.status_code == 503, answer.text
                assert answer.json()["code"] == "identity_provider_unavailable"
                assert int(answer.headers["Retry-After"]) >= 1
            finally:
                await container.aclose()
    finally:
        silent.close()
