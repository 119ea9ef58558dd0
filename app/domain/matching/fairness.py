"""Whom a run serves less well: the distribution of pair scores and of the unmatched by group.

A coordinator reads, for each department, location, generation and role, how many people of the
pool the group has and how many of them stayed unmatched, and how the pairs' scores spread over the
range the program's weights allow. Groups are the candidates' own attributes (``unknown`` when
missing); self-identified attributes are never broken down here (they are used with consent for
matching only).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.domain.matching.model import Candidate, MatchingResult, MatchingSettings

SCORE_BANDS = 5  # pair scores in fifths of the highest score the weights allow
UNKNOWN = "unknown"


@dataclass(frozen=True)
class GroupFigures:
    """How many people of the pool a group has, and how many of them stayed unmatched."""

    pool: int
    unmatched: int


@dataclass(frozen=True)
class Fairness:
    """``score_bands``: how many pairs score in each fifth of the highest possible score (the last
    band includes the top); ``unmatched_by``: for each attribute, the figures of each group;
    ``coverage``: share of the pool paired at least once (1.0 for an empty pool);
    ``cross_department_share``: share of the pairs whose two known departments differ."""

    score_bands: tuple[int, ...]
    unmatched_by: dict[str, dict[str, GroupFigures]]
    coverage: float = 1.0
    cross_department_share: float = 0.0


def fairness(pool: Sequence[Candidate], result: MatchingResult, settings: MatchingSettings) -> Fairness:
    top = settings.weights.total()
    bands = [0] * SCORE_BANDS
    for pair in result.pairs:
        share = pair.score / top if top > 0 else 0.0
        bands[min(SCORE_BANDS - 1, max(0, int(share * SCORE_BANDS)))] += 1
    left_out = {u.enrollment_id for u in result.unmatched}
    attributes: dict[str, Callable[[Candidate], str | None]] = {
        "department": lambda c: c.department,
        "location": lambda c: c.location,
        "generation": lambda c: c.generation,
        "role": lambda c: c.role,
    }
    by: dict[str, dict[str, GroupFigures]] = {}
    for name, of in attributes.items():
        sizes: Counter[str] = Counter()
        alone: Counter[str] = Counter()
        for candidate in pool:
            group = of(candidate) or UNKNOWN
            sizes[group] += 1
            if candidate.enrollment_id in left_out:
                alone[group] += 1
        by[name] = {group: GroupFigures(sizes[group], alone[group]) for group in sorted(sizes)}
    department = {c.enrollment_id: c.department for c in pool}
    crossing = sum(
        1
        for p in result.pairs
        if None not in (department.get(p.enrollment_ids[0]), department.get(p.enrollment_ids[1]))
        and department.get(p.enrollment_ids[0]) != department.get(p.enrollment_ids[1])
    )
    return Fairness(
        score_bands=tuple(bands),
        unmatched_by=by,
        coverage=1.0 - len(left_out & set(department)) / len(pool) if pool else 1.0,
        cross_department_share=crossing / len(result.pairs) if result.pairs else 0.0,
    )
