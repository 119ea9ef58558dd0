"""The time a run may still spend: checked between the steps of a solve (cooperative).

No step is interrupted half-way; before each expensive step the engine asks whether its estimated
time still fits and otherwise keeps what it has. A hard stop (killing the solve) is the job of the
caller that runs the solve in its own process (``app.adapters.matching.process_solver``).
"""

from __future__ import annotations

import time


class Deadline:
    """``seconds`` of wall time from ``started`` (a ``time.perf_counter()`` value)."""

    def __init__(self, started: float, seconds: float) -> None:
        self.started = started
        self.seconds = seconds

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def left(self) -> float:
        return self.seconds - self.elapsed()

    def passed(self) -> bool:
        return self.left() <= 0

    def fits(self, estimate: float) -> bool:
        """Whether a step estimated to take ``estimate`` seconds still ends in time."""
        return estimate <= self.left()
