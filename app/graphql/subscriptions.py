"""Live updates (placeholder replaced below)."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def ping(self) -> AsyncGenerator[int, None]:
        yield 1
