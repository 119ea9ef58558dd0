"""A matching run: from ready candidates to proposed pairs, reasons and a proven quality.

Steps: validate the input and the coordinator's pins; scan every allowed pair to build the sparse
candidate graph (each person's ``top_k`` best partners); solve it exactly (reverse: assignment) or
nearly exactly (reciprocal: double-cover assignment + cycle repair); certify an upper bound over the
full graph; explain every pair and every person left out.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from uuid import UUID

import numpy as np
import numpy.typing as npt

from app.domain.errors import conflict, invalid
from app.domain.matching.bipartite import Warm, assign
from app.domain.matching.bounds import Certificate, certify
from app.domain.matching.candidates import BlockScorer, CandidateGraph, scan_bipartite, scan_symmetric, unique_keys
from app.domain.matching.constraints import BlockedPairs, blocked_pairs, pair_violations
from app.domain.matching.features import PoolFeatures
from app.domain.matching.general import match_general
from app.domain.matching.greedy import greedy_edges
from app.domain.matching.model import Candidate, MatchingResult, MatchingSettings, ProposedPair, Unmatched
from app.domain.matching.prices import estimate_prices
from app.domain.matching.reasons import PartnerCensus
from app.domain.matching.scoring import orient, score_pair

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

# Seconds per candidate edge the exact solver may need (measured ≈ 6e-7; kept pessimistic) used to
# decide before calling it whether it can finish inside the time limit: the SciPy call itself
# cannot be interrupted.
_SECONDS_PER_EDGE = 3e-6
_COLUMN_ROUNDS = 3  # solve again at most this many times with pairs the certificate found missing
_GOOD_ENOUGH = 5e-4  # no column round when pairs outside the graph add less than this share to the bound


@dataclass
class _Problem:
    """The active part of the pool in solver order, its candidate graph and exact edge scores."""

    order: IntArray  # solver index → pool index
    n_first: int  # reverse: mentors are solver indices [0, n_first); reciprocal: everyone
    capacity: IntArray  # per solver index
    graph: CandidateGraph
    first: IntArray  # edges (solver indices; reverse: mentor, mentee)
    second: IntArray
    weight: FloatArray
    scorer: BlockScorer
    features: PoolFeatures


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
    problem = _build_problem(pool, settings, capacity, blocked, lambda f: report(0.02 + 0.6 * f))
    if problem is not None:
        report(0.65)
        edges, certificate, prices, solver = _optimise(problem, settings, started, notes)
        report(0.85)
        bound = _upper_bound(problem, certificate, prices, notes)
        chosen = [(int(problem.order[problem.first[e]]), int(problem.order[problem.second[e]])) for e in edges.tolist()]
        if with_greedy_baseline:
            t0 = time.perf_counter()
            caps = problem.capacity.copy()
            picked = greedy_edges(problem.first, problem.second, problem.weight, caps)
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
        violations = pair_violations(a, b, settings, exclusions, forbids=forbids)
        if first_id == second_id and "same_person" not in violations:
            violations.insert(0, "same_person")
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


def _build_problem(
    pool: list[Candidate],
    settings: MatchingSettings,
    capacity: IntArray,
    blocked: BlockedPairs,
    progress: Callable[[float], None],
) -> _Problem | None:
    """Active people in solver order, the price-aware candidate graph and its exact edge scores."""
    active = np.flatnonzero(capacity > 0)
    reverse = settings.kind == "reverse"
    if reverse:
        seniority = np.asarray([c.seniority for c in pool], dtype=np.int64)
        mentor = np.asarray([c.role == "mentor" for c in pool], dtype=bool)
        mentors = active[mentor[active]]
        mentees = active[~mentor[active]]
        # Seniority order makes "mentee senior enough" a suffix of columns (stable: pool order on ties).
        mentors = mentors[np.argsort(seniority[mentors], kind="stable")]
        mentees = mentees[np.argsort(seniority[mentees], kind="stable")]
        if mentors.size == 0 or mentees.size == 0:
            return None
        order = np.concatenate([mentors, mentees])
        n_first = int(mentors.size)
        lowest = np.searchsorted(seniority[mentees], seniority[mentors] + settings.min_seniority_gap, side="left")
    else:
        order = active
        n_first = int(active.size)
        lowest = None
        if n_first < 2:
            return None
    where = np.full(len(pool), -1, dtype=np.int64)
    where[order] = np.arange(order.size)
    a, b = where[blocked.first], where[blocked.second]
    keep = (a >= 0) & (b >= 0)
    offset = n_first if reverse else 0
    if reverse:
        keep &= (a < n_first) & (b >= n_first)
    features = PoolFeatures([pool[i] for i in order.tolist()], settings)
    embedding = features.embedding()
    if reverse:
        embedding = embedding.sliced(slice(0, n_first), slice(n_first, None))
    n_second = int(order.size) - offset if reverse else n_first
    scorer = BlockScorer(
        embedding, n_first, n_second, a[keep], b[keep] - offset, symmetric=not reverse, lowest_second=lowest
    )
    row_price, col_price = estimate_prices(scorer, symmetric=not reverse)
    embedding.set_prices(row_price, col_price)
    progress(0.1)
    scan = scan_bipartite if reverse else scan_symmetric
    graph = scan(scorer, settings.top_k, lambda f: progress(0.1 + 0.9 * f))
    first, second = graph.first, graph.second + offset
    return _Problem(
        order=order,
        n_first=n_first,
        capacity=capacity[order],
        graph=graph,
        first=first,
        second=second,
        weight=features.scores(first, second),
        scorer=scorer,
        features=features,
    )


def _solve_once(
    problem: _Problem, live: IntArray, reverse: bool, notes: list[str], warm: Warm | None
) -> tuple[IntArray, FloatArray | None, Warm | None]:
    """One best matching of the edges ``live``: chosen edge indices, LP prices (solver order) and the
    state that warm-starts the next solve."""
    first, second, weight = problem.first[live], problem.second[live], problem.weight[live]
    n = problem.order.size
    if reverse:
        m = problem.n_first
        result = assign(m, n - m, first, second - m, weight, warm=warm)
        return live[result.edges], result.second_price, result.warm
    general = match_general(n, first, second, weight, warm=warm)
    if general.long_cycles:
        notes.append(f"{general.long_cycles} fractional cycles of the LP repaired")
    return live[general.edges], general.prices, general.warm


def _optimise(
    problem: _Problem, settings: MatchingSettings, started: float, notes: list[str]
) -> tuple[IntArray, Certificate, FloatArray, str]:
    """Chosen edges, the bound certificate and its prices, and the solver's name.

    Round one is solved, then certified against the full graph; pairs found to break the LP
    certificate are added to the graph and round one is solved again (at most ``_COLUMN_ROUNDS``
    times). Capacities above 1 are then filled in further rounds on the final graph.
    """
    reverse = settings.kind == "reverse"
    limit = settings.time_limit_seconds
    n = problem.order.size
    if time.perf_counter() - started + _SECONDS_PER_EDGE * (problem.first.size + n) > limit:
        notes.append(
            f"time limit: the exact solver would not finish within {limit:g} s; "
            "pairs come from greedy on the candidate graph"
        )
        chosen = greedy_edges(problem.first, problem.second, problem.weight, problem.capacity)
        prices = np.zeros(n - problem.n_first if reverse else n)
        return chosen, _certificate(problem, prices, None), prices, "greedy (time limit)"
    everyone = np.arange(problem.first.size)
    warm: Warm | None = Warm(problem.graph.first_price, problem.graph.second_price)
    for column_round in range(_COLUMN_ROUNDS + 1):
        chosen, found_prices, next_warm = _solve_once(problem, everyone, reverse, notes, warm)
        if found_prices is None:
            notes.append("LP prices could not be recovered: the bound uses thresholds only")
            prices = np.zeros(n - problem.n_first if reverse else n)
            certificate = _certificate(problem, prices, None)
            break
        prices = found_prices
        within = time.perf_counter() - started < limit
        certificate = _certificate(problem, prices, problem.scorer if within else None)
        if not within:
            notes.append("time limit: the bound uses thresholds only (valid, looser)")
            break
        next_warm = next_warm if next_warm is not None else Warm(certificate.profit, prices)
        if column_round == _COLUMN_ROUNDS:
            break
        # Column generation can only remove what pairs outside the graph add to the bound.
        gain = certificate.outside_gain
        capacity = problem.capacity[: gain.size].astype(np.float64)
        if math.fsum((capacity * gain).tolist()) <= _GOOD_ENOUGH * _bound_value(problem, certificate, prices):
            break
        if time.perf_counter() - started + _SECONDS_PER_EDGE * (problem.first.size + n) > limit:
            break
        # Adding edges reorders the edge arrays: only ever followed by a new solve.
        added = _add_edges(problem, certificate, reverse)
        if added == 0:
            break
        notes.append(f"column generation: {added} pairs from outside the candidate graph added")
        everyone = np.arange(problem.first.size)
        warm = next_warm
    name = "sparse assignment (LAPJVsp)" if reverse else "double-cover assignment + cycle repair"
    if int(problem.capacity.max(initial=0)) > 1:
        chosen, rounds = _capacity_rounds(problem, chosen, reverse, started, limit, notes, next_warm)
        name += f", {rounds} capacity rounds"
    return chosen, certificate, prices, name


def _capacity_rounds(
    problem: _Problem,
    chosen: IntArray,
    reverse: bool,
    started: float,
    limit: float,
    notes: list[str],
    warm: Warm | None,
) -> tuple[IntArray, int]:
    """Fill capacities above 1: repeat a best matching of the unused edges among people with room."""
    first, second = problem.first, problem.second
    left = problem.capacity.copy()
    used = np.zeros(first.size, dtype=bool)
    picked = [chosen]
    rounds = 1
    edges = chosen
    while True:
        used[edges] = True
        np.subtract.at(left, first[edges], 1)
        np.subtract.at(left, second[edges], 1)
        live = np.flatnonzero(~used & (left[first] > 0) & (left[second] > 0))
        if live.size == 0:
            break
        if time.perf_counter() - started > limit:
            notes.append(f"time limit: capacity rounds stopped after round {rounds}")
            break
        edges, _, _ = _solve_once(problem, live, reverse, notes, warm)
        if edges.size == 0:
            break
        picked.append(edges)
        rounds += 1
    return np.sort(np.concatenate(picked)), rounds


def _certificate(problem: _Problem, prices: FloatArray, scorer: BlockScorer | None) -> Certificate:
    m = problem.n_first
    if m == problem.order.size:  # one pool: the graph seen from every person, both ways
        rows = np.concatenate([problem.first, problem.second])
        cols = np.concatenate([problem.second, problem.first])
        weight = np.concatenate([problem.weight, problem.weight])
        return certify(problem.graph, rows, cols, weight, prices, scorer)
    return certify(problem.graph, problem.first, problem.second - m, problem.weight, prices, scorer)


def _add_edges(problem: _Problem, certificate: Certificate, reverse: bool) -> int:
    """Add the violating pairs the certificate met to the graph (exact scores); how many were new."""
    a, b = certificate.violating_rows, certificate.violating_cols
    if a.size == 0:
        return 0
    if reverse:
        b = b + problem.n_first
    else:
        a, b = np.minimum(a, b), np.maximum(a, b)
    n = problem.order.size
    old = problem.first * n + problem.second  # sorted
    key = unique_keys(a * n + b)
    at = np.minimum(np.searchsorted(old, key), max(old.size - 1, 0))
    key = key[old[at] != key] if old.size else key
    if key.size == 0:
        return 0
    first, second = key // n, key % n
    weight = problem.features.scores(first, second)
    merged = np.concatenate([old, key])
    order = np.argsort(merged, kind="stable")
    problem.first = np.concatenate([problem.first, first])[order]
    problem.second = np.concatenate([problem.second, second])[order]
    problem.weight = np.concatenate([problem.weight, weight])[order]
    return int(key.size)


def _upper_bound(problem: _Problem, certificate: Certificate, prices: FloatArray, notes: list[str]) -> float:
    if certificate.rescored:
        notes.append(f"upper bound: {certificate.rescored} people rescored against partners outside the graph")
    return _bound_value(problem, certificate, prices)


def _bound_value(problem: _Problem, certificate: Certificate, prices: FloatArray) -> float:
    """``Σ cap·u + Σ cap·p`` (two-sided) or half of it on the double cover (one pool)."""
    capacity = problem.capacity.astype(np.float64)
    m = problem.n_first
    profit = certificate.profit
    if m == problem.order.size:
        return (math.fsum((capacity * profit).tolist()) + math.fsum((capacity * prices).tolist())) / 2
    return math.fsum((capacity[:m] * profit).tolist()) + math.fsum((capacity[m:] * prices).tolist())


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
    problem: _Problem | None,
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
