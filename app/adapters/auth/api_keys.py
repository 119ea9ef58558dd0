"""API keys as callers: ``Authorization: Bearer tb_<prefix>_<secret>`` (or ``X-API-Key``).

A key is looked up by its prefix and compared by hash in constant time. Known keys are cached for a
short TTL; a revocation committed in this process drops its entry at once (other processes see it
within the TTL). ``last_used_at`` is written at most once a minute per key, in a short transaction
of its own, so the hot path stays read-only.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from threading import Lock
from uuid import UUID

from cachetools import TTLCache

from app.domain.actors import Actor, ActorKind, Role
from app.domain.api_keys import LAST_USED_EVERY, ApiKey, prefix_of
from app.domain.events import ApiKeyCreated, ApiKeyRevoked, DomainEvent
from app.domain.ports import UnitOfWork

ISSUER = "turnabout:api-key"


class InvalidApiKey(Exception):
    """Unknown, wrong, revoked or expired; the message is safe to show."""


class ApiKeyAuthenticator:
    def __init__(self, *, ttl_seconds: float = 30.0, max_entries: int = 10_000) -> None:
        self._keys: TTLCache[str, ApiKey | None] = TTLCache(maxsize=max_entries, ttl=ttl_seconds, timer=time.monotonic)
        self._touched: dict[UUID, datetime] = {}
        self._lock = Lock()

    @staticmethod
    def looks_like_key(token: str) -> bool:
        return prefix_of(token) is not None

    async def actor(
        self, token: str, *, now: datetime, reader: Callable[[], UnitOfWork], writer: Callable[[], UnitOfWork]
    ) -> Actor:
        prefix = prefix_of(token)
        if prefix is None:
            raise InvalidApiKey("This is not an API key.")
        with self._lock:
            known = prefix in self._keys
            key = self._keys.get(prefix)
        if not known:
            async with reader() as uow:
                key = await uow.api_keys.by_prefix(prefix)
            with self._lock:
                self._keys[prefix] = key
        if key is None or not key.matches(token):
            raise InvalidApiKey("The API key is not valid.")
        if not key.usable_at(now):
            raise InvalidApiKey("The API key is revoked or expired.")
        await self._touch(key, now, writer)
        return Actor(
            subject=f"api-key:{key.id}",
            issuer=ISSUER,
            roles=frozenset({Role.INTEGRATION}),
            kind=ActorKind.API_KEY,
            scopes=frozenset(key.scopes),
        )

    async def _touch(self, key: ApiKey, now: datetime, writer: Callable[[], UnitOfWork]) -> None:
        with self._lock:
            last = self._touched.get(key.id) or key.last_used_at
            if last is not None and now - last < LAST_USED_EVERY:
                return
            self._touched[key.id] = now
        async with writer() as uow:
            await uow.api_keys.touch(key.id, now=now)
            await uow.commit()

    def observe(self, events: list[DomainEvent]) -> None:
        """A commit listener: a revoked key stops working in this process at once (and a new key's
        prefix is never remembered as unknown)."""
        revoked = {event.prefix for event in events if isinstance(event, ApiKeyRevoked | ApiKeyCreated)}
        if revoked:
            with self._lock:
                for prefix in revoked:
                    self._keys.pop(prefix, None)

    def clear(self) -> None:
        with self._lock:
            self._keys.clear()
            self._touched.clear()
