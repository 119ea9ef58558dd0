"""A proven upper bound on the best total over ALL allowed pairs, not only the candidate graph.

Linear-programming duality: for any prices ``p_j ≥ 0`` on one side, with
``u_i = max(0, max over allowed j of (w_ij − p_j))``, every matching scores at most
``Σ_i cap_i·u_i + Σ_j cap_j·p_j`` (two-sided pools). For one pool, the same prices on the bipartite
double cover (each person once as a row, once as a column) bound twice the best matching, hence
``(Σ cap_i·u_i + Σ cap_i·p_i) / 2``: the fractional-matching bound, always ≥ the true optimum.

The solvers hand over their optimal LP prices for the candidate graph, so on that graph the bound is
as tight as LP duality allows. What is left to prove is that no pair outside the graph breaks a dual
constraint. A pair left out scores at most ``q_i + q_j + min(t_i, t_j) + margin`` (``q``: scan prices,
``t``: k-th best reduced score found by the full scan, ``margin``: float32 error), which settles most
people by arithmetic; the others are rescored against every partner that could matter (a second,
restricted scan). Pairs that do break a constraint are returned too, so the engine can add them to the
graph and solve again (column generation) before the final certificate: up to ``_NEW_PER_ROW`` per row
and block of columns, the most violated first, ties broken by the scan's fixed pseudo-random jitter
(``_most_violated``). Without that, a pool whose scores mostly tie gave every row the same lowest-index
columns (hubs again, as in the scan), and column generation needed three rounds instead of one.

For a whole ``Problem``: ``certify_problem`` certifies its candidate graph at given prices (one pool:
the graph seen from every person, both ways), and ``bound_value`` is the sum above.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from app.domain.matching.candidates import TIE_BREAK, BlockScorer, CandidateGraph, unit_jitter
from app.domain.matching.problem import Problem

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
Float32Array = npt.NDArray[np.float32]

_CHUNK = 1024
_NEW_PER_ROW = 8  # violating pairs kept per rescored row for column generation
_DENSE_STRIDE = 8  # blocks with many violating pairs: candidates from every 8th column only
_DENSE_SHARE = 1 / 64  # "many": a probe (every 8th column) finds more than this share positive


def pruned_bound(row_threshold: FloatArray, col_threshold: FloatArray, offsets: FloatArray) -> FloatArray:
    """For every row i, ``max over all columns j of min(t_i, t_j) − offsets_j`` (-inf if none).

    O((rows + columns) log columns): sort the columns by threshold; columns below ``t_i`` contribute
    ``t_j − offsets_j`` (a prefix maximum), the others ``t_i − offsets_j`` (a suffix minimum).
    """
    out = np.full(row_threshold.size, -np.inf)
    if col_threshold.size == 0:
        return out
    order = np.argsort(col_threshold, kind="stable")
    t = col_threshold[order]
    o = offsets[order]
    with np.errstate(invalid="ignore"):
        prefix = np.maximum.accumulate(t - o)
    suffix = np.minimum.accumulate(o[::-1])[::-1]
    cut = np.searchsorted(t, row_threshold, side="left")
    low = cut > 0
    out[low] = prefix[cut[low] - 1]
    high = cut < t.size
    out[high] = np.maximum(out[high], row_threshold[high] - suffix[cut[high]])
    out[np.isneginf(row_threshold)] = -np.inf
    return np.asarray(np.nan_to_num(out, nan=-np.inf), dtype=np.float64)


@dataclass(frozen=True)
class Certificate:
    """Row profits ``u`` that are dual-feasible over the full graph for the given prices, how many rows
    needed the restricted rescan, and the most violated pairs it met (row index, column index)."""

    profit: FloatArray
    rescored: int
    violating_rows: IntArray
    violating_cols: IntArray
    outside_gain: FloatArray  # per row: how much pairs outside the graph raised its profit
    breaking: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))  # rows that met one


def certify(
    graph: CandidateGraph,
    rows: IntArray,
    cols: IntArray,
    weight: FloatArray,
    prices: FloatArray,
    scorer: BlockScorer | None,
    *,
    floor: FloatArray | None = None,
    skip: tuple[IntArray, IntArray] | None = None,
    collect: bool = True,
    among: IntArray | None = None,
) -> Certificate:
    """Profits ``u_i = max(0, max over every allowed j of w_ij − p_j)`` (upper estimates where exact
    values are not needed). Edges ``rows[e]``–``cols[e]`` are the graph seen from the rows (both
    orientations for one pool). Without a ``scorer``, left-out pairs are bounded by thresholds only:
    still valid, looser. ``floor`` (optional) are row duals the profits start from: pairs of the
    graph are then left to the caller (capacities: each pair's own slack ``w − u − p``), and
    ``skip`` (rows, columns) names them, so that the rescan only looks at pairs outside the graph.
    Without ``collect``, only the rows that met pairs breaking the certificate are named
    (``breaking``), and in one pool where it pays a pair of two open rows is scored once for both
    (``_Rescan.both_ways``): keeping the pairs took over half of a 50,000-person certificate that column
    generation did not need (a pool whose scores mostly tie: 7.8 s against 2.9 s). ``among``
    restricts the rescan to those rows (then collecting the pairs for column generation).
    """
    n_rows = graph.first_threshold.size
    profit = np.zeros(n_rows, dtype=np.float64) if floor is None else np.maximum(floor, 0.0)
    if rows.size:
        np.maximum.at(profit, rows, weight - prices[cols])
    inside = profit.copy()
    row_q, col_q = graph.first_price, graph.second_price
    margin = graph.margin
    outside = row_q + margin + pruned_bound(graph.first_threshold, graph.second_threshold, prices - col_q)
    open_rows = np.flatnonzero(outside > profit)
    if among is not None:
        open_rows = np.intersect1d(open_rows, among)
    none = np.zeros(0, np.int64)
    if scorer is None:
        profit[open_rows] = np.maximum(profit[open_rows], outside[open_rows])
        return Certificate(profit, 0, none, none, profit - inside)
    skip_keys = np.sort(skip[0] * graph.second_threshold.size + skip[1]) if skip is not None else None
    rescan = _Rescan(graph, prices, scorer, profit.copy(), skip_keys, collect)
    chunks = rescan.reach_chunks(open_rows)
    if scorer.symmetric and not collect and rescan.both_ways_pays(open_rows, chunks):
        rescan.both_ways(open_rows)
    else:
        rescan.by_reach(chunks)
    profit[open_rows] = np.maximum(profit[open_rows], rescan.best[open_rows])
    violating_rows = np.concatenate(rescan.new_rows) if rescan.new_rows else none
    violating_cols = np.concatenate(rescan.new_cols) if rescan.new_cols else none
    breaking = np.flatnonzero(rescan.breaking)
    return Certificate(profit, int(open_rows.size), violating_rows, violating_cols, profit - inside, breaking)


class _Rescan:
    """The restricted rescan of the rows the thresholds could not settle: ``best[i]`` becomes an
    upper estimate of ``max over rescored j of w_ij − p_j``, and the pairs breaking the certificate
    (above the profits before the rescan, ``base``) are kept for column generation."""

    def __init__(
        self,
        graph: CandidateGraph,
        prices: FloatArray,
        scorer: BlockScorer,
        base: FloatArray,
        skip_keys: IntArray | None,
        collect: bool,
    ) -> None:
        self.graph = graph
        self.collect = collect
        self.breaking = np.zeros(base.size, dtype=bool)
        self.prices = prices
        self.scorer = scorer
        self.base = base
        self.skip_keys = skip_keys
        self.best = np.full(base.size, -np.inf)
        self.new_rows: list[IntArray] = []
        self.new_cols: list[IntArray] = []
        # Pair (i, j) can matter only if q_j − p_j > need_i − t_i ("reach") and t_j + q_j − p_j > need_i.
        self.need = base - graph.first_price - graph.margin
        self.reach = graph.first_threshold - self.need

    def _columns(self, chunk: IntArray, only: npt.NDArray[np.bool_] | None = None) -> IntArray:
        """The columns that could matter to any row of ``chunk`` (only those flagged in ``only``)."""
        graph, prices = self.graph, self.prices
        col_q = graph.second_price
        could = (prices - col_q < float(np.max(self.reach[chunk]))) & (
            graph.second_threshold + col_q - prices > float(np.min(self.need[chunk]))
        )
        return np.flatnonzero(could if only is None else could & only)

    def _block(self, chunk: IntArray, part: IntArray) -> Float32Array:
        """Reduced scores at scan prices of ``chunk`` × ``part`` (both sorted), pairs to skip at -inf."""
        block = self.scorer.subset(chunk, part)
        if self.skip_keys is not None:
            _mask_pairs(block, chunk, part, self.skip_keys, self.graph.second_threshold.size)
        return block

    def reach_chunks(self, open_rows: IntArray) -> list[tuple[IntArray, IntArray]]:
        """Rows sorted by reach share short column lists: chunks of them with their own columns."""
        open_rows = open_rows[np.argsort(-self.reach[open_rows], kind="stable")]
        chunks = [np.sort(open_rows[start : start + _CHUNK]) for start in range(0, open_rows.size, _CHUNK)]
        return [(chunk, self._columns(chunk)) for chunk in chunks]

    def both_ways_pays(self, open_rows: IntArray, chunks: list[tuple[IntArray, IntArray]]) -> bool:
        """Whether scoring pairs of open rows once (``both_ways``, unfiltered among them) scores at
        most 3/4 of the pairs the chunks by reach would. Where reach filters much out, it does not
        pay, and each pair it scores that cannot matter can still raise a profit by the float32
        margin (a 50,000-person pool with department heads of hundreds: bound 0.005 % looser)."""
        one_way = sum(chunk.size * columns.size for chunk, columns in chunks)
        among = open_rows.size * (open_rows.size + _CHUNK) / 2
        return among < 0.75 * one_way

    def by_reach(self, chunks: list[tuple[IntArray, IntArray]]) -> None:
        """Each chunk of rows against its own columns (``reach_chunks``)."""
        for chunk, columns in chunks:
            for c0 in range(0, columns.size, 4 * _CHUNK):
                part = columns[c0 : c0 + 4 * _CHUNK]
                self.take(self._block(chunk, part), chunk, part)

    def both_ways(self, open_rows: IntArray) -> None:
        """One pool where the rows' reach keeps most pairs (``both_ways_pays``): a pair of open
        people is scored once and serves both (a block, folded along its rows and down its columns),
        the others one way as in ``by_reach``. Each certificate of a 50,000-person pool whose scores
        mostly tie scored every pair twice (9.2 s)."""
        scan_q = self.graph.first_price  # one pool: the same scan prices on both sides
        is_open = np.zeros(self.base.size, dtype=bool)
        is_open[open_rows] = True
        order = np.sort(open_rows)
        for start in range(0, order.size, _CHUNK):
            chunk = order[start : start + _CHUNK]
            rest = order[start:]
            for c0 in range(0, rest.size, 4 * _CHUNK):
                part = rest[c0 : c0 + 4 * _CHUNK]
                block = self._block(chunk, part)
                self.take(block, chunk, part)
                # Seen from the columns: w_ij − q_i − q_j, back to w_ij − p_i with the rows' term
                # (a reduction down the block's columns; the transpose is only a view).
                row_term = scan_q[chunk] - self.prices[chunk]
                seen = block + row_term.astype(np.float32)[:, None]
                self._fold(seen.max(axis=0, initial=-np.inf), part, chunk, row_term, seen.T)
            columns = self._columns(chunk, ~is_open)
            for c0 in range(0, columns.size, 4 * _CHUNK):
                part = columns[c0 : c0 + 4 * _CHUNK]
                self.take(self._block(chunk, part), chunk, part)

    def take(self, block: Float32Array, rows: IntArray, cols: IntArray) -> None:
        """Fold a block of reduced scores at scan prices (``rows`` × ``cols``) into ``best`` and the
        violating pairs."""
        # Back from reduced scores at scan prices to w_ij − p_j: the column term is added in
        # float32 (one more rounding, covered by ``slack``), the row term after the maximum.
        column_term = self.graph.second_price[cols] - self.prices[cols]
        excess = block + column_term.astype(np.float32)[None, :]
        self._fold(excess.max(axis=1, initial=-np.inf), rows, cols, column_term, excess)

    def _fold(
        self,
        top32: Float32Array,
        rows: IntArray,
        cols: IntArray,
        column_term: FloatArray,
        excess: Float32Array,
    ) -> None:
        """``top32``: each row's largest ``w_ij − q_i − p_j`` over ``cols``, the entries being
        ``excess`` (rows × cols); rows meeting a breaking pair are named, and when collecting, up to
        ``_NEW_PER_ROW`` of their pairs per call are kept, the most violated first."""
        graph = self.graph
        row_q, margin = graph.first_price, graph.margin
        top = top32.astype(np.float64)
        finite = np.isfinite(top)
        slack = np.where(
            finite,
            2.0**-22 * (np.abs(np.where(finite, top, 0.0)) + float(np.max(np.abs(column_term), initial=0.0))),
            0.0,
        )
        top = top + row_q[rows] + margin + slack
        self.best[rows] = np.maximum(self.best[rows], top)
        # Pairs that break the certificate: kept for column generation.
        hot = np.flatnonzero(top > self.base[rows] + 2 * margin)
        self.breaking[rows[hot]] = True
        if not self.collect:
            return
        for h0 in range(0, hot.size, _CHUNK):
            some = hot[h0 : h0 + _CHUNK]
            shift = (row_q[rows[some]] - self.base[rows[some]] - margin).astype(np.float32)
            r, c = _most_violated(excess[some] + shift[:, None], _NEW_PER_ROW)
            self.new_rows.append(rows[some[r]])
            self.new_cols.append(cols[c])


def _mask_pairs(block: Float32Array, rows: IntArray, cols: IntArray, keys: IntArray, width: int) -> None:
    """Set the entries of ``block`` (``rows`` × ``cols``, both sorted) whose pair key is listed to -inf."""
    low = np.searchsorted(keys, rows * width)
    high = np.searchsorted(keys, rows * width + width)
    counts = high - low
    if counts.sum() == 0:
        return
    take = np.repeat(low - np.cumsum(counts) + counts, counts) + np.arange(int(counts.sum()))
    line = np.repeat(np.arange(rows.size), counts)
    col = keys[take] % width
    where = np.searchsorted(cols, col)
    hit = (where < cols.size) & (cols[np.minimum(where, cols.size - 1)] == col)
    block[line[hit], where[hit]] = -np.inf


def _most_violated(gain: Float32Array, k: int) -> tuple[IntArray, IntArray]:
    """Up to ``k`` positive entries per row of ``gain`` (row, column positions), the largest first.
    Ties, exact or within ``TIE_BREAK`` of the largest gain, fall in a fixed pseudo-random order
    (the scan's jitter), not in column order.

    Most blocks hold few positive entries: those are ranked one by one. A block where a probe finds
    many (prices far off, as in a pool whose scores mostly tie) takes, per row, the best of every
    ``_DENSE_STRIDE``-th column (a comb offset by the row), and the row's largest entry if that beats
    them by more than a tie: any violating pair serves column generation, and ranking whole rows of
    such blocks took half of a 50,000-person certificate."""
    h, w = gain.shape
    top = float(gain.max(initial=0.0))
    if top <= 0 or w == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    # A block is at most _CHUNK × 4·_CHUNK, inside the jitter's 2048 × 4096.
    noise = unit_jitter()[:h, :w]
    tie = np.float32(TIE_BREAK * top)
    probe = gain[:, ::_DENSE_STRIDE]
    width = w // _DENSE_STRIDE
    if width < k or np.count_nonzero(probe > 0) <= _DENSE_SHARE * probe.size:
        # flatnonzero and divmod: a quarter of the time of a 2-D np.nonzero on such blocks.
        r, c = np.divmod(np.flatnonzero(gain > 0), w)
        key = gain[r, c] + noise[r, c] * tie
        order = np.lexsort((-key, r))
        r, c = r[order], c[order]
        rank = np.arange(r.size) - np.searchsorted(r, r, side="left")
        keep = rank < k
        return r[keep].astype(np.int64), c[keep].astype(np.int64)
    # Each row its own comb of columns (offset by the row), and its largest entry wherever it is.
    comb = (np.arange(h) % _DENSE_STRIDE)[:, None] + _DENSE_STRIDE * np.arange(width)[None, :]
    sub = np.take_along_axis(gain, comb, axis=1)
    kk = min(k, width)
    key = sub + np.take_along_axis(noise, comb, axis=1) * tie
    pick = np.argpartition(key, width - kk, axis=1)[:, width - kk :]
    cols = np.take_along_axis(comb, pick, axis=1)
    best = np.argmax(gain, axis=1)
    # The row's largest entry replaces its comb's weakest pick when it beats the comb's best by more
    # than a tie (argmax takes the first of tied entries: every row would pick the same column).
    comb_best = np.take_along_axis(sub, pick, axis=1).max(axis=1)
    missing = gain[np.arange(h), best] > comb_best + tie
    weakest = np.argmin(np.take_along_axis(key, pick, axis=1), axis=1)
    cols[missing, weakest[missing]] = best[missing]
    keep = np.take_along_axis(gain, cols, axis=1) > 0
    rows = np.broadcast_to(np.arange(h)[:, None], cols.shape)[keep]
    return rows.astype(np.int64), cols[keep].astype(np.int64)


def certify_problem(
    problem: Problem,
    prices: FloatArray,
    scorer: BlockScorer | None,
    *,
    collect: bool = True,
    among: IntArray | None = None,
) -> Certificate:
    m = problem.n_first
    if m == problem.order.size:  # one pool: the graph seen from every person, both ways
        rows = np.concatenate([problem.first, problem.second])
        cols = np.concatenate([problem.second, problem.first])
        weight = np.concatenate([problem.weight, problem.weight])
        return certify(problem.graph, rows, cols, weight, prices, scorer, collect=collect, among=among)
    return certify(
        problem.graph, problem.first, problem.second - m, problem.weight, prices, scorer, collect=collect, among=among
    )


def bound_value(problem: Problem, certificate: Certificate, prices: FloatArray) -> float:
    """``Σ cap·u + Σ cap·p`` (two-sided) or half of it on the double cover (one pool)."""
    capacity = problem.capacity.astype(np.float64)
    m = problem.n_first
    profit = certificate.profit
    if m == problem.order.size:
        return (math.fsum((capacity * profit).tolist()) + math.fsum((capacity * prices).tolist())) / 2
    return math.fsum((capacity[:m] * profit).tolist()) + math.fsum((capacity[m:] * prices).tolist())
