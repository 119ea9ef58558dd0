"""Why someone stayed unmatched, in words a coordinator can act on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from app.domain.matching.constraints import BlockedPairs
from app.domain.matching.model import (
    BLOCK_CODES,
    PARTNER_AT_CAPACITY,
    SENIORITY_GAP,
    Candidate,
    MatchingSettings,
)

IntArray = npt.NDArray[np.int64]

_ALLOWED = len(BLOCK_CODES)


@dataclass(frozen=True)
class BlockingCensus:
    """For one person: how many possible partners each constraint blocks (first applicable one)."""

    possible: int
    blocked: dict[str, int]

    @property
    def dominant(self) -> str | None:
        """The constraint that blocks the most possible partners (ties: the stricter rule first)."""
        if not self.blocked:
            return None
        return max(self.blocked, key=lambda code: (self.blocked[code], -BLOCK_CODES.index(code)))


class PartnerCensus:
    """Counts, per person, which hard constraint keeps each possible partner away."""

    def __init__(
        self, pool: Sequence[Candidate], settings: MatchingSettings, capacity: IntArray, blocked: BlockedPairs
    ) -> None:
        self.settings = settings
        self.is_mentor = np.asarray([c.role == "mentor" for c in pool], dtype=bool)
        self.is_mentee = np.asarray([c.role == "mentee" for c in pool], dtype=bool)
        self.seniority = np.asarray([c.seniority for c in pool], dtype=np.int64)
        self.capacity = capacity
        order = np.lexsort((blocked.second, blocked.first))
        self.partner = blocked.second[order]
        self.reason = blocked.reason[order].astype(np.int64)
        self.start = np.searchsorted(blocked.first[order], np.arange(len(pool) + 1))

    def of(self, i: int) -> BlockingCensus:
        n = self.seniority.size
        possible = np.ones(n, dtype=bool)
        possible[i] = False
        code = np.full(n, _ALLOWED, dtype=np.int64)
        if self.settings.kind == "reverse":
            gap = self.settings.min_seniority_gap
            if self.is_mentor[i]:
                possible &= self.is_mentee
                too_close = self.seniority[i] + gap > self.seniority
            else:
                possible &= self.is_mentor
                too_close = self.seniority + gap > self.seniority[i]
            code[too_close] = BLOCK_CODES.index(SENIORITY_GAP)
        lo, hi = self.start[i], self.start[i + 1]
        partners = self.partner[lo:hi]
        code[partners] = np.minimum(code[partners], self.reason[lo:hi])
        code[(self.capacity <= 0) & (code == _ALLOWED)] = BLOCK_CODES.index(PARTNER_AT_CAPACITY)
        counts = np.bincount(code[possible], minlength=_ALLOWED + 1)
        blocked = {BLOCK_CODES[c]: int(counts[c]) for c in range(_ALLOWED) if counts[c]}
        return BlockingCensus(possible=int(possible.sum()), blocked=blocked)

    def no_partner_detail(self, i: int) -> str:
        census = self.of(i)
        if census.possible == 0:
            side = "mentee" if self.is_mentor[i] else "mentor"
            return (
                f"no_possible_partner: the pool has no {side}"
                if self.settings.kind == "reverse"
                else ("no_possible_partner: nobody else is in the pool")
            )
        breakdown = ", ".join(
            f"{code} {count}" for code, count in sorted(census.blocked.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        return f"{census.dominant}: all {census.possible} possible partners are blocked ({breakdown})"
