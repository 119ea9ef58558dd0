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

A pool whose scores mostly tie (few distinct scores: no skills recorded) is priced only to about one
step of its score ladder: the sample's LP is degenerate, its duals a vertex, and whole groups of
alike people come out a step too cheap or too dear. Ranked at such prices, each person's list fills
with exact ties at the top, and the pairs one step below, which the best matching needs for the
mispriced groups, are never listed (measured, 10,000 people: the candidate graph's best matching
2 % below the optimum, a column-generation round to repair it). ``spread`` detects such a pool from
the sample and measures the step, so that the scan can rank by a randomised score (``candidates``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from app.domain.matching.bipartite import assign
from app.domain.matching.candidates import TIE_BREAK, BlockScorer, unique_keys
from app.domain.matching.general import fractional_prices

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

SAMPLE = 2000  # at most this many people in the sampled market (a tenth of the pool below 20,000)
_SAMPLE_K = 128  # partners per sampled person kept for the sample's own solve
_CHUNK = 4096
_SAMPLE_ROUNDS = 4  # the sample's LP solved at most this many times (pairs its prices undercharge added)
_SAMPLE_MORE = 32  # undercharged pairs added per sampled person and round, the most undercharged first
_TIED_ROWS = 0.5  # a pool is tie-dominated when over this share of sampled people is


@dataclass(frozen=True)
class ScanPrices:
    """Prices of the first and second side, and the scan's tie spread (0: scores do not mostly tie,
    or a two-sided pool)."""

    first: FloatArray
    second: FloatArray
    spread: float = 0.0


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


def spread(reduced: FloatArray, stands_for: float, k: int, tie: float) -> float:
    """The step of the score ladder when the sampled pool is tie-dominated, else 0.

    ``reduced``: sampled rows × sampled partners, scores less the partners' prices (``-inf``:
    blocked); each sampled partner ``stands_for`` that many people of the pool. A row is tied when
    the partners within ``tie`` of its best one would fill its list of ``k`` on their own; its step is
    how far below that best its next distinct score lies. The pool is tie-dominated when over
    ``_TIED_ROWS`` of its rows are tied: the spread is then half their median step (prices split
    tied pairs' scores, so they come in half steps; measured on a pool of 10,000 whose scores step
    by 1/3: the candidate graph holds a best matching within 0.01 % of the bound for spreads of
    0.08 to 0.2, 2 % below it under 0.06, and the bound loosens above 0.3).
    """
    if reduced.size == 0:
        return 0.0
    best = reduced.max(axis=1)
    top = reduced >= (best - tie)[:, None]
    below = np.where(top, -np.inf, reduced).max(axis=1)
    with np.errstate(invalid="ignore"):  # rows with no allowed partner: -inf − -inf
        step = best - below
    # Partners tying with the best one (not counting it): each stands for ``stands_for`` people.
    tied = ((top.sum(axis=1) - 1) * stands_for >= k) & np.isfinite(best) & np.isfinite(step)
    if np.count_nonzero(tied) <= _TIED_ROWS * best.size:
        return 0.0
    return float(np.median(step[tied])) / 2


def _most_undercharged(excess: FloatArray, tolerance: float) -> tuple[IntArray, IntArray]:
    """Up to ``_SAMPLE_MORE`` pairs per row whose ``excess`` is above ``tolerance``, the largest first."""
    count = min(_SAMPLE_MORE, excess.shape[1])
    if count == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    cols = np.argpartition(-excess, count - 1, axis=1)[:, :count]
    rows = np.repeat(np.arange(excess.shape[0]), count)
    cols = cols.ravel()
    keep = excess[rows, cols] > tolerance
    return rows[keep], cols[keep]


def _sample_duals(scores: FloatArray, *, symmetric: bool) -> tuple[FloatArray, FloatArray] | None:
    """LP duals (rows, columns) of the sampled market: solved on each row's (and column's) top
    ``_SAMPLE_K`` partners, then again with up to ``_SAMPLE_MORE`` pairs per row that those duals
    undercharge, at most ``_SAMPLE_ROUNDS`` times, while there are many. A tie larger than the
    lists leaves duals that only hold for the listed pairs: completed over the pool, a one pool of
    50,000 people whose scores mostly tie came out priced 38 % above its optimum (0.2 % with the
    second solve)."""
    n_rows, n_cols = scores.shape
    first, second = _top_edges(scores, _SAMPLE_K, symmetric=symmetric)
    scale = float(np.max(np.abs(scores[np.isfinite(scores)]), initial=0.0))
    duals: tuple[FloatArray, FloatArray] | None = None
    for _ in range(_SAMPLE_ROUNDS):
        weight = scores[first, second]
        if symmetric:
            dual = fractional_prices(n_rows, first, second, weight)
            if dual is None:
                return None
            duals = (dual, dual)
        else:
            result = assign(n_rows, n_cols, first, second, weight)
            if result.second_price is None:
                return None
            row_dual = np.zeros(n_rows)
            if first.size:
                np.maximum.at(row_dual, first, weight - result.second_price[second])
            duals = (row_dual, result.second_price)
        excess = scores - duals[0][:, None] - duals[1][None, :]
        excess[first, second] = -np.inf  # listed pairs: within the solver's own tolerance
        if symmetric:
            excess = np.triu(excess, k=1)  # each pair once (0 below: never above the tolerance)
        more_first, more_second = _most_undercharged(excess, TIE_BREAK * scale)
        # A few undercharged pairs move a few prices; solving again pays off when ties outgrow the
        # lists: a pair per sampled person or more (at 50,000 people, a pool without skills had
        # 226,000 undercharged pairs, the original generator's pool three).
        if more_first.size < n_rows:
            break
        key = unique_keys(np.concatenate([first * n_cols + second, more_first * n_cols + more_second]))
        first, second = key // n_cols, key % n_cols
    return duals


def estimate_prices(scorer: BlockScorer, *, symmetric: bool, k: int, sample: int = SAMPLE) -> ScanPrices:
    """Scan prices and tie spread; the scorer must hold zero prices."""
    sample = min(sample, max(300, (scorer.n_first + (0 if symmetric else scorer.n_second)) // 10))
    if symmetric:
        chosen = _stratified(scorer.n_first, sample)
        scores = scorer.subset(chosen, chosen).astype(np.float64)
        duals = _sample_duals(scores, symmetric=True)
        if duals is None:
            return ScanPrices(np.zeros(scorer.n_first), np.zeros(scorer.n_second))
        price = _completion(scorer, chosen, chosen, duals[1], over_rows=False)
        tie = TIE_BREAK * (scorer.embedding.best_score + 2 * float(np.max(price, initial=0.0)))
        step = spread(scores - price[chosen][None, :], scorer.n_first / chosen.size, k, tie)
        return ScanPrices(price, price, step)
    share = scorer.n_first / max(1, scorer.n_first + scorer.n_second)
    rows = _stratified(scorer.n_first, max(1, round(2 * sample * share)))
    cols = _stratified(scorer.n_second, max(1, round(2 * sample * (1 - share))))
    scores = scorer.subset(rows, cols).astype(np.float64)
    duals = _sample_duals(scores, symmetric=False)
    if duals is None:
        return ScanPrices(np.zeros(scorer.n_first), np.zeros(scorer.n_second))
    row_price = _completion(scorer, rows, cols, duals[1], over_rows=False)
    col_price = _completion(scorer, rows, cols, duals[0], over_rows=True)
    # Two-sided pools are not spread: their flow is exact on the graph and one round of column
    # generation completes it; spread lists made each flow twice as slow (10,000 people: 0.45 s
    # to 0.98 s) for the same result.
    return ScanPrices(row_price, col_price)
