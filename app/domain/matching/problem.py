"""The matching problem in solver form: who is active, in which order, and the candidate graph.

Reverse pools put the mentors first, then the mentees, each side sorted by seniority (so that the
seniority rule is a suffix of mentees for every mentor); reciprocal pools keep the pool's order.
Building the problem estimates scan prices (``prices``), scans every allowed pair (``candidates``)
and scores the candidate edges exactly (``features``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from app.domain.matching.candidates import BlockScorer, CandidateGraph, scan_bipartite, scan_symmetric
from app.domain.matching.constraints import BlockedPairs
from app.domain.matching.features import PoolFeatures
from app.domain.matching.model import Candidate, MatchingSettings
from app.domain.matching.prices import estimate_prices

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass
class Problem:
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


def build_problem(
    pool: list[Candidate],
    settings: MatchingSettings,
    capacity: IntArray,
    blocked: BlockedPairs,
    progress: Callable[[float], None],
) -> Problem | None:
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
    prices = estimate_prices(scorer, symmetric=not reverse, k=settings.top_k)
    embedding.set_prices(prices.first, prices.second)
    progress(0.1)

    def scanning(fraction: float) -> None:
        progress(0.1 + 0.9 * fraction)

    if reverse:
        graph = scan_bipartite(scorer, settings.top_k, scanning)
    else:
        graph = scan_symmetric(scorer, settings.top_k, scanning, spread=prices.spread)
    first, second = graph.first, graph.second + offset
    return Problem(
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
