"""Real implementations of the Clock and IdGenerator ports."""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime
from uuid import UUID

_VERSION_7 = 0x7 << 76
_VARIANT_RFC = 0b10 << 62
_RAND_B = (1 << 62) - 1
# Shared by every generator of the process: ids stay ordered across them.
_last_ms = 0
_last_random = 0


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class UUID7Generator:
    """RFC 9562 version 7 ids: 48 bits of Unix milliseconds, then 74 random bits, strictly increasing
    within the process. Ids made in the same millisecond as the previous one keep that millisecond
    and add a random step to its random bits (RFC 9562 §6.2, "monotonic random"), so a burst of
    thousands of ids stays on the clock (``uuid6.uuid7`` moved such ids into later milliseconds, ten
    seconds ahead after a fan-out of 10,000 webhook messages) and costs a third of the time."""

    def new_id(self) -> UUID:
        global _last_ms, _last_random
        ms = time.time_ns() // 1_000_000
        if ms > _last_ms:
            random = secrets.randbits(74)
        else:
            ms = _last_ms
            random = _last_random + 1 + secrets.randbits(32)
            if random >> 74:  # this millisecond's ids are spent (never seen): take the next one
                ms, random = ms + 1, secrets.randbits(74)
        _last_ms, _last_random = ms, random
        return UUID(
            int=(ms & 0xFFFF_FFFF_FFFF) << 80 | _VERSION_7 | (random >> 62) << 64 | _VARIANT_RFC | random & _RAND_B
        )
