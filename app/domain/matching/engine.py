"""A matching run: from ready candidates to proposed pairs, reasons and a proven quality.

Steps: validate the input and the coordinator's pins (here); scan every allowed pair to build the
sparse candidate graph, each person's ``top_k`` best partners (``problem``); solve it — exactly for
two-sided pools, nearly exactly for one pool — and certify an upper bound over the full graph
(``optimise``); explain every pair and every person left out (here, ``scoring``, ``reasons``).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Sequence
from itertools import pairwise
from uuid import UUID

import numpy as np
import numpy.typing as npt

from app.domain.errors import conflict, invalid
from app.domain.matching.constraints import BlockedPairs, blocked_pairs
from app.domain.matching.deadline import Deadline
from app.domain.matching.fill import fill_free
from app.domain.matching.greedy import greedy_edges
from app.domain.matching.model import Candidate, MatchingResult, MatchingSettings, ProposedPair, Unmatched
from app.domain.matching.optimise import optimise
from app.domain.matching.pair_rules import pair_violations
from app.domain.matching.problem import Problem, build_problem
from app.domain.matching.reasons import PartnerCensus
from app.domain.matching.scoring import orient, score_pair

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def solve(
    candidates: Sequence[Candidate],
    settings: MatchingSettings,
    *,
    exclusions: frozenset[frozenset[UUID]] = frozenset(),
    pins: Sequence[tuple[UUID, UUID]] = (),
    forbids: Iterable[tuple[UUID, UUID] | frozenset[UUID]] = (),
    progress: Callable[[float], None] | None = None,
    with_greedy_baseline: bool = False,
    time_limit_s: float | None = None,
    on_incumbent: Callable[[MatchingResult], None] | None = None,
) -> MatchingResult:
    """Propose the best-scoring set of pairs the hard constraints allow.

    - hard constraints (see ``constraints``) are absent edges: no proposed pair ever breaks one;
    - nobody gets more pairs than their ``remaining_capacity``, and no pair is proposed twice;
    - the total is the proven optimum for two-sided pools of up to ``EXHAUSTIVE_PEOPLE`` people and
      for one pool where the exact solver fits the time limit (``proven_optimal``); otherwise it is
      within the proven ``upper_bound``;
    - nobody with room left is unmatched while an allowed partner with room left exists;
    - results do not depend on the absolute scale of the weights; a pair scoring 0 still beats
      leaving two people alone;
    - ``pins`` (enrollment ids) are kept as they are; a pin that breaks a hard constraint is refused
      (``pin_breaks_constraint``), as is a pin past someone's capacity (``pin_exceeds_capacity``);
    - ``forbids`` (enrollment ids) are removed; ``exclusions`` (person ids) are never proposed;
    - the time limit is the tighter of ``settings.time_limit_seconds`` and ``time_limit_s``; it is
      checked between steps (cooperative); ``on_incumbent`` receives every better complete result
      as soon as it exists (cheapest first), so a caller who has to stop the solve keeps it;
    - the result is deterministic for the same input (whatever the order of ``candidates``), except
      for ``seconds``.
    """
    started = time.perf_counter()
    limit = settings.time_limit_seconds if time_limit_s is None else min(settings.time_limit_seconds, time_limit_s)
    deadline = Deadline(started, limit)
    report = progress if progress is not None else (lambda _fraction: None)
    pool = _validated_pool(candidates, settings)
    at = {c.enrollment_id: i for i, c in enumerate(pool)}
    forbid_pairs = _forbidden_pairs(forbids, at)
    forbid_ids = frozenset(frozenset((pool[i].enrollment_id, pool[j].enrollment_id)) for i, j in forbid_pairs)
    capacity = np.asarray([c.remaining_capacity for c in pool], dtype=np.int64)
    pinned = _checked_pins(pins, pool, at, settings, exclusions, forbid_ids, capacity)
    blocked = blocked_pairs(pool, settings, exclusions, forbid_pairs, pinned)
    report(0.02)

    notes: list[str] = []
    problem = build_problem(pool, settings, capacity, blocked, lambda f: report(0.02 + 0.6 * f))
    build = _Builder(pool, settings, capacity, blocked, problem, pinned, started)
    if problem is None:
        report(1.0)
        return build.result([], 0.0, "none", notes, proven=True)
    report(0.65)
    best_total = -1.0

    def incumbent(edges: IntArray, bound: float) -> None:
        nonlocal best_total
        if on_incumbent is None:
            return
        total = math.fsum(problem.weight[edges].tolist())
        if total > best_total:
            best_total = total
            on_incumbent(build.result(build.chosen(edges), bound, "incumbent", list(notes), proven=False))

    solved = optimise(problem, settings, deadline, notes, incumbent, early=incumbent if on_incumbent else None)
    report(0.9)
    chosen = build.chosen(solved.chosen)
    greedy_total: float | None = None
    if with_greedy_baseline:
        t0 = time.perf_counter()
        picked = greedy_edges(problem.first, problem.second, problem.weight, problem.capacity)
        greedy_total = math.fsum(problem.weight[picked].tolist())
        build.excluded_seconds += time.perf_counter() - t0
    result = build.result(chosen, solved.bound, solved.solver, notes, proven=solved.proven, greedy=greedy_total)
    report(1.0)
    return result


class _Builder:
    """Turns chosen edges into a complete, explained ``MatchingResult`` (used for incumbents too)."""

    def __init__(
        self,
        pool: list[Candidate],
        settings: MatchingSettings,
        capacity: IntArray,
        blocked: BlockedPairs,
        problem: Problem | None,
        pinned: list[tuple[int, int]],
        started: float,
    ) -> None:
        self.pool = pool
        self.settings = settings
        self.capacity = capacity
        self.blocked = blocked
        self.problem = problem
        self.pinned = pinned
        self.started = started
        self.excluded_seconds = 0.0  # the optional greedy baseline is not the engine's time

    def chosen(self, edges: IntArray) -> list[tuple[int, int]]:
        """Pool-index pairs of the chosen edges, plus the pairs the final fill adds."""
        problem = self.problem
        if problem is None:
            return []
        pairs = list(zip(problem.first[edges].tolist(), problem.second[edges].tolist(), strict=True))
        pairs += fill_free(problem, pairs)
        order = problem.order
        return [(int(order[a]), int(order[b])) for a, b in pairs]

    def result(
        self,
        chosen: list[tuple[int, int]],
        bound: float,
        solver: str,
        notes: list[str],
        *,
        proven: bool,
        greedy: float | None = None,
    ) -> MatchingResult:
        pool, settings = self.pool, self.settings
        pairs = [_proposed(pool[a], pool[b], settings, pinned=True) for a, b in self.pinned]
        pairs += [_proposed(pool[a], pool[b], settings, pinned=False) for a, b in chosen]
        pairs.sort(key=lambda p: (not p.pinned, -p.score, p.enrollment_ids))
        pinned_total = math.fsum(p.score for p in pairs if p.pinned)
        total = math.fsum(p.score for p in pairs)
        # Float sums of exact duals can drift by a few ulps; a relative 1e-9 keeps the bound above.
        upper = total if proven else max((pinned_total + bound) * (1 + 1e-9), total)
        unmatched = _unmatched(pool, settings, self.capacity, self.blocked, self.problem, self.pinned + chosen)
        return MatchingResult(
            pairs=pairs,
            unmatched=unmatched,
            total_score=total,
            upper_bound=upper,
            quality=1.0 if upper <= 0 or total >= upper else total / upper,
            seconds=time.perf_counter() - self.started - self.excluded_seconds,
            solver=solver,
            notes=tuple(notes),
            greedy_total=None if greedy is None else greedy + pinned_total,
            proven_optimal=proven,
        )


def _validated_pool(candidates: Sequence[Candidate], settings: MatchingSettings) -> list[Candidate]:
    pool = sorted(candidates, key=lambda c: c.enrollment_id)
    for before, after in pairwise(pool):
        if before.enrollment_id == after.enrollment_id:
            raise invalid("duplicate_enrollment", f"Enrollment {after.enrollment_id} is listed twice.")
    for c in pool:
        if c.remaining_capacity < 0:
            raise invalid("invalid_capacity", f"Enrollment {c.enrollment_id} has a negative remaining capacity.")
        if settings.kind == "reverse" and c.role not in ("mentor", "mentee"):
            raise invalid(
                "role_not_in_program",
                f"Enrollment {c.enrollment_id} has role {c.role!r}; reverse programs need mentor or mentee.",
            )
    return pool


def _forbidden_pairs(
    forbids: Iterable[tuple[UUID, UUID] | frozenset[UUID]], at: dict[UUID, int]
) -> list[tuple[int, int]]:
    pairs: list[tuple[int, int]] = []
    for pair in forbids:
        ids = tuple(pair)
        if len(ids) == 2 and ids[0] in at and ids[1] in at:
            pairs.append((at[ids[0]], at[ids[1]]))
    return pairs


def _checked_pins(
    pins: Sequence[tuple[UUID, UUID]],
    pool: list[Candidate],
    at: dict[UUID, int],
    settings: MatchingSettings,
    exclusions: frozenset[frozenset[UUID]],
    forbids: frozenset[frozenset[UUID]],
    capacity: IntArray,
) -> list[tuple[int, int]]:
    """Resolve pins to pool indices (reverse: mentor first), refusing any that breaks a rule.

    Consumes the pinned people's capacity.
    """
    pinned: list[tuple[int, int]] = []
    seen: set[frozenset[UUID]] = set()
    for first_id, second_id in pins:
        for ident in (first_id, second_id):
            if ident not in at:
                raise invalid("pin_unknown_enrollment", f"Pinned enrollment {ident} is not in the matching pool.")
        a, b = pool[at[first_id]], pool[at[second_id]]
        # An enrollment pinned to itself is one person: pair_violations reports same_person.
        violations = pair_violations(a, b, settings, exclusions, forbids=forbids)
        if violations:
            raise conflict(
                "pin_breaks_constraint",
                f"Pinning {first_id} with {second_id} breaks: {', '.join(violations)}.",
            )
        key = frozenset((first_id, second_id))
        if key in seen:
            raise conflict("duplicate_pin", f"The pair {first_id}–{second_id} is pinned twice.")
        seen.add(key)
        a, b = orient(a, b, settings)
        i, j = at[a.enrollment_id], at[b.enrollment_id]
        for index in (i, j):
            if capacity[index] < 1:
                raise conflict(
                    "pin_exceeds_capacity",
                    f"Enrollment {pool[index].enrollment_id} has no capacity left for the pin.",
                )
            capacity[index] -= 1
        pinned.append((i, j))
    return pinned


def _proposed(a: Candidate, b: Candidate, settings: MatchingSettings, *, pinned: bool) -> ProposedPair:
    first, second = orient(a, b, settings)
    scored = score_pair(first, second, settings)
    return ProposedPair(
        enrollment_ids=(first.enrollment_id, second.enrollment_id),
        person_ids=(first.person_id, second.person_id),
        mentor_enrollment_id=first.enrollment_id if settings.kind == "reverse" else None,
        score=scored.score,
        factors=scored.factors,
        summary=scored.summary,
        pinned=pinned,
    )


def _unmatched(
    pool: list[Candidate],
    settings: MatchingSettings,
    capacity: IntArray,
    blocked: BlockedPairs,
    problem: Problem | None,
    pairs: list[tuple[int, int]],
) -> list[Unmatched]:
    paired = np.zeros(len(pool), dtype=bool)
    for a, b in pairs:
        paired[a] = paired[b] = True
    has_partner = np.zeros(len(pool), dtype=bool)
    if problem is not None:
        m = problem.n_first
        has_partner[problem.order[:m]] = problem.graph.first_has_partner
        if m < problem.order.size:
            has_partner[problem.order[m:]] = problem.graph.second_has_partner
    census = PartnerCensus(pool, settings, capacity, blocked)
    left_out = [i for i in range(len(pool)) if not paired[i] and capacity[i] > 0 and has_partner[i]]
    pairable = int(np.count_nonzero(has_partner & (capacity > 0)))
    odd = settings.kind == "reciprocal" and len(left_out) == 1 and pairable % 2 == 1
    mentors = sum(1 for i in range(len(pool)) if pool[i].role == "mentor" and capacity[i] > 0)
    mentees = sum(1 for i in range(len(pool)) if pool[i].role == "mentee" and capacity[i] > 0)
    out: list[Unmatched] = []
    for i, c in enumerate(pool):
        if paired[i]:
            continue
        if c.remaining_capacity <= 0:
            out.append(Unmatched(c.enrollment_id, c.person_id, "at_capacity", "no capacity left in this program"))
        elif capacity[i] <= 0:
            continue  # capacity consumed by pins: paired
        elif not has_partner[i]:
            out.append(Unmatched(c.enrollment_id, c.person_id, "no_allowed_partner", census.no_partner_detail(i)))
        elif odd:
            detail = "the pool has an odd number of people who can be paired"
            out.append(Unmatched(c.enrollment_id, c.person_id, "odd_one_out", detail))
        else:
            detail = "had allowed partners; each of them is paired to capacity in the best total"
            if settings.kind == "reverse" and mentors != mentees:
                detail += f" (the pool has {mentors} mentors for {mentees} mentees)"
            out.append(Unmatched(c.enrollment_id, c.person_id, "not_selected", detail))
    return out
