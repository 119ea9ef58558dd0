"""Where verification keys come from: the app's own dev key, or the IdP's JWKS over HTTPS.

Both produce a ``KeySet``; :class:`app.adapters.auth.tokens.TokenValidator` does the rest the same way
for either, so development exercises exactly the production validation path.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import httpx
import structlog
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey

log = structlog.get_logger("turnabout.auth")


class IdentityProviderUnavailable(Exception):
    """The IdP's keys cannot be had (it is down, slow or answers nonsense) and none are cached."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("The identity provider cannot be reached.")
        self.retry_after = retry_after


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
    """The IdP's JWKS, discovered from the issuer and cached, resilient to the IdP's bad days:

    - keys are refetched after ``ttl`` seconds; if the IdP then fails (down, slow, nonsense), the last
      good keys are kept — past the TTL — and the next attempt waits with exponential back-off
      (``cooldown`` doubling up to ``ttl``), so no request waits on a dead IdP twice in a row;
    - an unknown ``kid`` (key rotation) refetches once, but no more often than ``cooldown`` allows: a
      flood of forged kids never becomes a flood of requests to the IdP;
    - concurrent requests share one fetch (single flight);
    - with no good keys at all, :class:`IdentityProviderUnavailable` (503 with ``Retry-After``).
    """

    def __init__(
        self,
        *,
        client: httpx.AsyncClient,
        issuer: str,
        jwks_url: str | None,
        ttl_seconds: int,
        cooldown_seconds: int,
        timeout_seconds: float = 5.0,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.issuer = issuer.rstrip("/")
        self.jwks_url = jwks_url
        self.ttl = ttl_seconds
        self.cooldown = cooldown_seconds
        self.timeout = timeout_seconds
        self.timer = timer
        self._keys: KeySet | None = None
        self._fetched_at = -math.inf  # last successful fetch
        self._attempted_at = -math.inf  # last attempt, successful or not
        self._failures = 0
        self._lock = asyncio.Lock()
        self.discovery: dict[str, Any] | None = None
        self.fetches = 0  # attempts made, for tests and logs

    @property
    def _backoff(self) -> float:
        return 0.0 if self._failures == 0 else min(float(self.ttl), self.cooldown * 2.0 ** (self._failures - 1))

    def _due(self, refresh: bool) -> bool:
        now = self.timer()
        if now - self._attempted_at < self._backoff:
            return False  # the IdP failed lately: do not knock again yet
        if self._keys is None or now - self._fetched_at > self.ttl:
            return True
        return refresh and now - self._attempted_at > self.cooldown

    async def _discover(self) -> str:
        if self.jwks_url is None:
            response = await self.client.get(f"{self.issuer}/.well-known/openid-configuration", timeout=self.timeout)
            response.raise_for_status()
            self.discovery = dict(response.json())
            self.jwks_url = str(self.discovery["jwks_uri"])
        return self.jwks_url

    async def _fetch(self) -> None:
        self._attempted_at = self.timer()
        self.fetches += 1
        try:
            response = await self.client.get(await self._discover(), timeout=self.timeout)
            response.raise_for_status()
            keys = KeySet.import_key_set(response.json())
        except (httpx.HTTPError, JoseError, ValueError, KeyError, TypeError) as error:
            self._failures += 1
            log.warning("identity_provider_unreachable", error=type(error).__name__, failures=self._failures)
            return
        self._keys, self._fetched_at, self._failures = keys, self.timer(), 0

    async def key_set(self, *, refresh: bool = False) -> KeySet:
        if self._due(refresh):
            async with self._lock:
                if self._due(refresh):  # another request may have fetched while this one waited
                    await self._fetch()
        if self._keys is None:
            raise IdentityProviderUnavailable(retry_after=max(1, math.ceil(self._backoff or self.cooldown)))
        return self._keys
