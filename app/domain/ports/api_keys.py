"""API keys: the integrations' credentials."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from app.domain.api_keys import ApiKey
from app.domain.ports.common import Page, PageRequest


class ApiKeyRepository(Protocol):
    async def add(self, key: ApiKey) -> None: ...
    async def get(self, key_id: UUID) -> ApiKey | None: ...
    async def by_prefix(self, prefix: str) -> ApiKey | None: ...
    async def list(self, page: PageRequest) -> Page[ApiKey]: ...
    async def save(self, key: ApiKey) -> None: ...
    async def touch(self, key_id: UUID, *, now: datetime) -> None:
        """Record a use (``last_used_at``) without disturbing anything else."""
        ...
