"""Where verification keys come from: the app's own dev key, or the IdP's JWKS over HTTPS.

Both produce a ``KeySet``; :class:`app.adapters.auth.tokens.TokenValidator` does the rest the same way
for either, so development exercises exactly the production validation path.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any, Protocol

import httpx
from joserfc.jwk import KeySet, RSAKey


class KeySource(Protocol):
    async def key_set(self, *, refresh: bool = False) -> KeySet: ...


class DevSigningKey:
    """The development issuer's RSA key, created once and kept under ``./var``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._key: RSAKey | None = None
        self._key_set: KeySet | None = None

    @property
    def key(self) -> RSAKey:
        if self._key is None:
            self._key = self._load_or_create()
        return self._key

    def _load_or_create(self) -> RSAKey:
        if self.path.exists():
            return RSAKey.import_key(json.loads(self.path.read_text()))
        key = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, private=True)
        key.ensure_kid()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(key.as_dict(private=True)))
        os.chmod(tmp, 0o600)
        tmp.replace(self.path)
        return key

    def public_jwks(self) -> dict[str, Any]:
        return {"keys": [self.key.as_dict(private=False)]}

    async def key_set(self, *, refresh: bool = False) -> KeySet:
        if self._key_set is None:  # parsed once: the key never changes while the process runs
            self._key_set = KeySet.import_key_set(self.public_jwks())  # type: ignore[arg-type]
        return self._key_set


class RemoteJwks:
    """The IdP's JWKS: discovered from the issuer, cached with a TTL, refetched once on an unknown
    ``kid`` (key rotation) but no more often than the cooldown allows (a flood of forged kids must not
    turn into a flood of requests to the IdP)."""

    def __init__(
        self,
        *,
        client: httpx.AsyncClient,
        issuer: str,
        jwks_url: str | None,
        ttl_seconds: int,
        cooldown_seconds: int,
    ) -> None:
        self.client = client
        self.issuer = issuer.rstrip("/")
        self.jwks_url = jwks_url
        self.ttl = ttl_seconds
        self.cooldown = cooldown_seconds
        self._keys: KeySet | None = None
        self._fetched_at = 0.0

    async def _discover(self) -> str:
        if self.jwks_url is None:
            response = await self.client.get(f"{self.issuer}/.well-known/openid-configuration", timeout=10)
            response.raise_for_status()
            self.jwks_url = str(response.json()["jwks_uri"])
        return self.jwks_url

    async def key_set(self, *, refresh: bool = False) -> KeySet:
        now = time.monotonic()
        stale = self._keys is None or now - self._fetched_at > self.ttl
        may_refresh = refresh and now - self._fetched_at > self.cooldown
        if stale or may_refresh:
            response = await self.client.get(await self._discover(), timeout=10)
            response.raise_for_status()
            self._keys = KeySet.import_key_set(response.json())
            self._fetched_at = now
        assert self._keys is not None
        return self._keys
