"""The health sweep: every live relationship re-judged on a schedule, so that a pair that simply
stops meeting is announced at risk, then stalled, even when nobody writes.

The domain judges (``app.domain.health``, ``Relationship.observe_health``); the sweep only walks the
relationships page by page, each page in a unit of work of its own, and keeps each verdict. A move into
``at_risk`` or ``stalled`` raises its event once (the verdict last kept is compared with the new one), so
a pair that stays at risk is not announced again by the next sweep.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from app.domain.ports import PageRequest, RelationshipFilter, UnitOfWork
from app.domain.relationships import RelationshipStatus

SWEEP_JOB = "relationships.health_sweep"
_PAGE = 200
# Proposed relationships are never judged; active and paused ones are (a paused one is "not judged",
# which it becomes as soon as it is paused).
_JUDGED: frozenset[RelationshipStatus] = frozenset({"active", "paused"})


@dataclass(frozen=True)
class SweepResult:
    judged: int
    changed: int


async def sweep_health(new_uow: Callable[[], UnitOfWork], *, page_size: int = _PAGE) -> SweepResult:
    """Re-judge every active or paused relationship at the unit of work's time and keep its health;
    one unit of work per page (a page that fails leaves the pages before it judged)."""
    judged = changed = 0
    after: UUID | None = None
    while True:
        async with new_uow() as uow:
            page = await uow.relationships.list(
                RelationshipFilter(statuses=_JUDGED), PageRequest(limit=page_size, after=after)
            )
            held = await uow.meetings.held_times([r.id for r in page.items])
            signals = await uow.queries.checkin_signals([r.id for r in page.items])
            now = uow.clock.now()
            for relationship in page.items:
                verdict = relationship.health(held.get(relationship.id, []), now, signals.get(relationship.id, []))
                if relationship.observe_health(verdict):
                    changed += 1
            judged += len(page.items)
            await uow.commit()
        if page.next_after is None:
            return SweepResult(judged=judged, changed=changed)
        after = page.next_after
