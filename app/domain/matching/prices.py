"""Scan prices: rough market prices of every person, from a small sampled market.

Ranking partners by raw score makes everyone list the same few attractive people, and a graph made
of such lists can leave most of the pool without a realistic partner. Ranking by reduced score
``w_ij − q_i − q_j`` instead, where ``q`` approximates the optimal LP prices, lists for each person the
partners that could really end up with them (the optimal partner is, by complementary slackness, the
best by reduced score at exact prices).

Estimate: solve a stratified sample of the pool (every n-th person in solver order) on its own, then
price everyone against the sample's LP duals: ``q_j = max(0, max over sampled i of w_ij − y_i)``, i.e.
what the keenest sampled partner would pay for j. Prices only steer which edges are kept; every bound
downstream is proven whatever prices are used.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from app.domain.matching.bipartite import assign
from app.domain.matching.candidates import BlockScorer, unique_keys
from app.domain.matching.general import fractional_prices

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

SAMPLE = 2000  # at most this many people in the sampled market (a tenth of the pool below 20,000)
_SAMPLE_K = 128  # partners per sampled person kept for the sample's own solve
_CHUNK = 4096


def _stratified(n: int, size: int) -> IntArray:
    if n <= size:
        return np.arange(n, dtype=np.int64)
    return np.unique(np.linspace(0, n - 1, size).round().astype(np.int64))


def _top_edges(scores: npt.NDArray[np.float64], k: int, symmetric: bool) -> tuple[IntArray, IntArray]:
    """Union of every row's and every column's top k finite entries."""
    rows: list[IntArray] = []
    cols: list[IntArray] = []
    for axis in (1, 0):
        block = scores if axis == 1 else scores.T
        kk = min(k, block.shape[1])
        if kk == 0:
            continue
        other = np.argpartition(-block, kk - 1, axis=1)[:, :kk]
        line = np.repeat(np.arange(block.shape[0]), kk)
        other = other.ravel()
        finite = np.isfinite(block[line, other])
        r, c = (line, other) if axis == 1 else (other, line)
        rows.append(r[finite])
        cols.append(c[finite])
        if symmetric:
            break
    r = np.concatenate(rows)
    c = np.concatenate(cols)
    if symmetric:
        r, c = np.minimum(r, c), np.maximum(r, c)
    key = unique_keys(r * scores.shape[1] + c)
    return key // scores.shape[1], key % scores.shape[1]


def _completion(
    scorer: BlockScorer, rows: IntArray, cols: IntArray, dual: FloatArray, *, over_rows: bool
) -> FloatArray:
    """``max(0, max over the sampled side of w − dual)`` for every index of the other side."""
    n = scorer.n_second if over_rows else scorer.n_first
    out = np.zeros(n)
    for start in range(0, n, _CHUNK):
        part = np.arange(start, min(start + _CHUNK, n))
        if over_rows:  # price columns against sampled rows
            block = scorer.subset(rows, part).astype(np.float64) - dual[:, None]
            best = block.max(axis=0, initial=-np.inf)
        else:
            block = scorer.subset(part, cols).astype(np.float64) - dual[None, :]
            best = block.max(axis=1, initial=-np.inf)
        out[part] = np.maximum(best, 0.0)
    return out


def estimate_prices(scorer: BlockScorer, *, symmetric: bool, sample: int = SAMPLE) -> tuple[FloatArray, FloatArray]:
    """Scan prices ``(first side, second side)``; the scorer must hold zero prices."""
    sample = min(sample, max(300, (scorer.n_first + (0 if symmetric else scorer.n_second)) // 10))
    if symmetric:
        chosen = _stratified(scorer.n_first, sample)
        scores = scorer.subset(chosen, chosen).astype(np.float64)
        first, second = _top_edges(scores, _SAMPLE_K, symmetric=True)
        dual = fractional_prices(chosen.size, first, second, scores[first, second])  # exact: small
        if dual is None:
            return np.zeros(scorer.n_first), np.zeros(scorer.n_second)
        price = _completion(scorer, chosen, chosen, dual, over_rows=False)
        return price, price
    share = scorer.n_first / max(1, scorer.n_first + scorer.n_second)
    rows = _stratified(scorer.n_first, max(1, round(2 * sample * share)))
    cols = _stratified(scorer.n_second, max(1, round(2 * sample * (1 - share))))
    scores = scorer.subset(rows, cols).astype(np.float64)
    first, second = _top_edges(scores, _SAMPLE_K, symmetric=False)
    weight = scores[first, second]
    result = assign(rows.size, cols.size, first, second, weight)
    if result.second_price is None:
        return np.zeros(scorer.n_first), np.zeros(scorer.n_second)
    col_dual = result.second_price
    row_dual = np.zeros(rows.size)
    if first.size:
        np.maximum.at(row_dual, first, weight - col_dual[second])
    row_price = _completion(scorer, rows, cols, col_dual, over_rows=False)
    col_price = _completion(scorer, rows, cols, row_dual, over_rows=True)
    return row_price, col_price
