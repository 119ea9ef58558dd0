"""Throttling of repeated authentication failures per client (the ``limits`` library, moving window).

Only failures count: a client that keeps sending bad tokens or keys is answered 429 with
``Retry-After`` — before any token is checked or any key is looked up — until its window clears;
good callers are never slowed. The window is kept per server process (in memory).
"""

from __future__ import annotations

import math
import time

from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter


class FailureThrottle:
    def __init__(self, limit: str) -> None:
        self.item = parse(limit)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    def retry_after(self, client: str) -> int | None:
        """Seconds to wait when ``client`` has used up its failures, else ``None``."""
        if self.limiter.test(self.item, "auth-failure", client):
            return None
        stats = self.limiter.get_window_stats(self.item, "auth-failure", client)
        return max(1, math.ceil(stats.reset_time - time.time()))

    def failed(self, client: str) -> None:
        self.limiter.hit(self.item, "auth-failure", client)

    def clear(self) -> None:
        self.limiter.storage.reset()
