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
from app.domain.matching.constraints import BlockedPairs, blocked_pairs, pair_violations
from app.domain.matching.greedy import greedy_edges
from app.domain.matching.model import Candidate, MatchingResult, MatchingSettings, ProposedPair, Unmatched
from app.domain.matching.optimise import optimise, upper_bound
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
) -> MatchingResult:
    """Propose the best-scoring set of pairs the hard constraints allow.

    - hard constraints (see ``constraints``) are absent edges: no proposed pair ever breaks one;
    - nobody gets more pairs than their ``remaining_capacity``, and no pair is proposed twice;
      capacities above 1 are filled in rounds (each round a best matching of the remaining graph);
    - ``pins`` (enrollment ids) are kept as they are; a pin that breaks a hard constraint is refused
      (``pin_breaks_constraint``), as is a pin past someone's capacity (``pin_exceeds_capacity``);
    - ``forbids`` (enrollment ids) are removed; ``exclusions`` (person ids) are never proposed;
    - the result is deterministic for the same input (whatever the order of ``candidates``), except
      for ``seconds``;
    - ``upper_bound`` is proven for the full graph of allowed pairs, ``quality = total / bound``.
    """
    started = time.perf_counter()
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
    solver = "none"
    chosen: list[tuple[int, int]] = []
    bound = 0.0
    greedy_seconds = 0.0
    greedy_total: float | None = None
    problem = build_problem(pool, settings, capacity, blocked, lambda f: report(0.02 + 0.6 * f))
    if problem is not None:
        report(0.65)
        edges, certificate, prices, solver = optimise(problem, settings, started, notes)
        report(0.85)
        bound = upper_bound(problem, certificate, prices, notes)
        chosen = [(int(problem.order[problem.first[e]]), int(problem.order[problem.second[e]])) for e in edges.tolist()]
        if with_greedy_baseline:
            t0 = time.perf_counter()
            picked = greedy_edges(problem.first, problem.second, problem.weight, problem.capacity)
            greedy_total = math.fsum(problem.weight[picked].tolist())
            greedy_seconds = time.perf_counter() - t0
    report(0.95)

    pairs = [_proposed(pool[a], pool[b], settings, pinned=True) for a, b in pinned]
    pairs += [_proposed(pool[a], pool[b], settings, pinned=False) for a, b in chosen]
    pairs.sort(key=lambda p: (not p.pinned, -p.score, p.enrollment_ids))
    pinned_total = math.fsum(p.score for p in pairs if p.pinned)
    total = math.fsum(p.score for p in pairs)
    # Float sums of exact duals can drift by a few ulps; a relative 1e-9 keeps the bound above them.
    upper = (pinned_total + bound) * (1 + 1e-9) + 1e-12
    if greedy_total is not None:
        greedy_total += pinned_total
    unmatched = _unmatched(pool, settings, capacity, blocked, problem, pinned + chosen)
    report(1.0)
    return MatchingResult(
        pairs=pairs,
        unmatched=unmatched,
        total_score=total,
        upper_bound=upper,
        quality=min(1.0, total / upper) if upper > 1e-9 else 1.0,
        seconds=time.perf_counter() - started - greedy_seconds,
        solver=solver,
        notes=tuple(notes),
        greedy_total=greedy_total,
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
            detail = "had allowed partners; the best total pairs each of them with someone else"
            if settings.kind == "reverse" and mentors != mentees:
                detail += f" (the pool has {mentors} mentors for {mentees} mentees)"
            out.append(Unmatched(c.enrollment_id, c.person_id, "not_selected", detail))
    return out
