"""Hard constraints: pairs that may never be proposed. They are absent edges, never penalties.

- nobody is paired with themself;
- reverse programs pair one ``mentor`` with one ``mentee``, and the mentor is junior to the mentee by
  at least ``min_seniority_gap`` grades;
- no pair inside a reporting line: a person and anyone up to ``reporting_line_depth`` levels above
  them (manager, manager's manager, …) or below them (direct reports, their reports, …);
- optionally, no pair of peers who share their direct manager;
- no pair that either side declined before or that ended in a rematch (``exclusions``, person ids);
- no pair a coordinator forbade (``forbids``, enrollment ids).

Capacity is a property of a person, not of a pair: the engine enforces it separately.

The rules for one pair (``pair_violations``) live in ``pair_rules``, without NumPy, so that checking a
coordinator's manual pair does not load the numerical libraries; this module applies the same rules to
a whole pool at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from uuid import UUID

import numpy as np
import numpy.typing as npt

from app.domain.matching.model import (
    ALREADY_PAIRED,
    BLOCK_CODES,
    EXCLUDED_PAIR,
    FORBIDDEN_PAIR,
    REPORTING_LINE,
    SAME_MANAGER,
    SAME_PERSON,
    Candidate,
    MatchingSettings,
)

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class BlockedPairs:
    """Pairs of pool indices that a hard constraint removes, in both orientations, one reason each.

    Role and seniority rules are not listed: the solvers build them into the shape of the graph.
    """

    first: IntArray
    second: IntArray
    reason: npt.NDArray[np.int8]  # index into BLOCK_CODES: the first constraint that applies

    def __len__(self) -> int:
        return int(self.first.size)


def blocked_pairs(
    pool: Sequence[Candidate],
    settings: MatchingSettings,
    exclusions: Iterable[frozenset[UUID]],
    forbids: Iterable[tuple[int, int]],
    already_paired: Iterable[tuple[int, int]] = (),
) -> BlockedPairs:
    """All blocked index pairs of ``pool`` except role/seniority ones.

    ``forbids`` (coordinator's) and ``already_paired`` (pins of this run, never proposed twice) are
    pairs of pool indices.
    """
    persons = [c.person_id for c in pool]
    at: dict[UUID, list[int]] = defaultdict(list)
    for index, person in enumerate(persons):
        at[person].append(index)
    firsts: list[IntArray] = []
    seconds: list[IntArray] = []
    reasons: list[int] = []

    def add(pairs: tuple[IntArray, IntArray], code: str) -> None:
        firsts.append(pairs[0])
        seconds.append(pairs[1])
        reasons.append(BLOCK_CODES.index(code))

    person_code = _codes(persons)
    add(_pairs_within_groups(person_code), SAME_PERSON)

    depth = settings.reporting_line_depth
    lower: list[int] = []
    upper: list[int] = []
    for index, candidate in enumerate(pool):
        for boss in candidate.manager_chain[:depth]:
            for other in at.get(boss, ()):
                lower.append(index)
                upper.append(other)
    add(_both_ways(lower, upper), REPORTING_LINE)

    if settings.exclude_same_manager_peers:
        managers = [c.manager_chain[0] if c.manager_chain else None for c in pool]
        add(_pairs_within_groups(_codes(managers)), SAME_MANAGER)

    left: list[int] = []
    right: list[int] = []
    for pair in exclusions:
        people = tuple(pair)
        if len(people) != 2:
            continue
        for i in at.get(people[0], ()):
            for j in at.get(people[1], ()):
                left.append(i)
                right.append(j)
    add(_both_ways(left, right), EXCLUDED_PAIR)

    forbid_pairs = list(forbids)
    add(_both_ways([p[0] for p in forbid_pairs], [p[1] for p in forbid_pairs]), FORBIDDEN_PAIR)
    pinned = list(already_paired)
    add(_both_ways([p[0] for p in pinned], [p[1] for p in pinned]), ALREADY_PAIRED)

    first = np.concatenate(firsts) if firsts else np.zeros(0, np.int64)
    second = np.concatenate(seconds) if seconds else np.zeros(0, np.int64)
    reason = np.concatenate(
        [np.full(f.size, code, np.int8) for f, code in zip(firsts, reasons, strict=True)] or [np.zeros(0, np.int8)]
    )
    keep = first != second
    first, second, reason = first[keep], second[keep], reason[keep]
    # One entry per ordered pair, keeping the constraint that comes first in BLOCK_CODES.
    order = np.lexsort((reason, second, first))
    first, second, reason = first[order], second[order], reason[order]
    if first.size:
        fresh = np.ones(first.size, dtype=bool)
        fresh[1:] = (first[1:] != first[:-1]) | (second[1:] != second[:-1])
        first, second, reason = first[fresh], second[fresh], reason[fresh]
    return BlockedPairs(first=first, second=second, reason=reason)


def _codes(values: Sequence[object]) -> IntArray:
    """Small integer codes for hashable values; ``None`` gets a unique code per position."""
    seen: dict[object, int] = {}
    out = np.empty(len(values), dtype=np.int64)
    fresh = len(values)
    for index, value in enumerate(values):
        if value is None:
            out[index] = fresh + index  # never shared
        else:
            out[index] = seen.setdefault(value, len(seen))
    return out


def _both_ways(a: list[int], b: list[int]) -> tuple[IntArray, IntArray]:
    first = np.asarray(a, dtype=np.int64)
    second = np.asarray(b, dtype=np.int64)
    return np.concatenate([first, second]), np.concatenate([second, first])


def _pairs_within_groups(codes: IntArray) -> tuple[IntArray, IntArray]:
    """All ordered pairs (i, j), i ≠ j, of positions sharing a code."""
    if codes.size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    order = np.argsort(codes, kind="stable")
    ordered = codes[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    sizes = np.diff(np.r_[starts, ordered.size])
    big = sizes > 1
    if not big.any():
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    starts, sizes = starts[big], sizes[big]
    # Every member of a group (by position in ``order``) repeated once per member of its group.
    member_size = np.repeat(sizes, sizes)
    member_start = np.repeat(starts, sizes)
    member_pos = member_start + np.arange(member_size.size) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    rows = np.repeat(member_pos, member_size)
    offsets = np.arange(rows.size) - np.repeat(np.cumsum(member_size) - member_size, member_size)
    cols = np.repeat(member_start, member_size) + offsets
    keep = rows != cols
    return order[rows[keep]], order[cols[keep]]
