"""Real implementations of the Clock and IdGenerator ports."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import uuid6


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class UUID7Generator:
    def new_id(self) -> UUID:
        return UUID(bytes=uuid6.uuid7().bytes)
