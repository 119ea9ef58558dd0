"""The sparse candidate graph: each person's ``top_k`` best allowed partners, found by a full scan.

Every allowed pair is scored once, in float32 blocks (one matrix product per block, see
``features.Embedding``); blocked pairs are masked out before selection, so a top-k list only ever
holds allowed partners. The graph keeps an edge when either end has the other in its top k. Because
the scan sees every pair, it also knows each person's k-th best score ``threshold``: any allowed pair
left out of the graph scores at most ``min(threshold[i], threshold[j]) + margin``. That fact is what
makes the upper bound in ``bounds`` valid for the full graph, not only for the candidates.

Selection (``topk``) keeps a running top k per person; after the first block only entries above the person's
current k-th best are extracted, so the scan costs one comparison per pair beyond the product.

Ties are broken by a fixed, non-negative jitter added to every scored pair (at most ``TIE_BREAK`` of
the score scale, far below any difference a weight makes). Without it a pool with few distinct scores
(no skills recorded, a handful of departments) gives everyone the same first k partners of the best
score, the lowest indices: a graph of a few hubs in which most people cannot be paired. Because the
jitter only ever raises a score, a threshold taken with it still bounds the true score of every pair
left out of the graph.

A one pool whose scores mostly tie is priced only to within half a step of its score ladder
(``prices``): there the jitter is exponential noise of that size (``spread``) instead. Taking the
top k of ``score + spread · Exp(1)`` lists a partner with odds ``exp(score / spread)`` however many
tie at the top (the exponential tail makes it a draw by softmax weights), so each list also holds
partners half a step below its best (odds e⁻¹ against a best one) and a whole step below (e⁻²), at
any pool size, where uniform jitter would need to grow with the number of ties.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

from app.domain.matching.features import Embedding
from app.domain.matching.topk import TopK, offer_block

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
Float32Array = npt.NDArray[np.float32]

_ROWS = 2048  # block height
_COLUMNS = 4096  # block width: 2048 × 4096 float32 = 32 MB
TIE_BREAK = 2.0**-13  # the jitter's ceiling, as a share of the largest score (with prices) possible


class BlockScorer:
    """Approximate reduced scores ``w_ij − row_price_i − col_price_j`` (within ``margin``) of blocks
    of pairs, blocked pairs set to ``-inf``. Prices are those of the embedding (0 unless set).

    ``first``/``second`` index the two sides (the same pool when ``symmetric``). ``lowest_second``,
    when given, is for each first-side index the smallest second-side index it may pair with (reverse
    programs sort mentees by seniority, so the seniority rule is a suffix of columns).
    """

    def __init__(
        self,
        embedding: Embedding,
        n_first: int,
        n_second: int,
        blocked_first: IntArray,
        blocked_second: IntArray,
        *,
        symmetric: bool,
        lowest_second: IntArray | None = None,
    ) -> None:
        self.embedding = embedding
        self.n_first = n_first
        self.n_second = n_second
        self.symmetric = symmetric
        self.lowest_second = lowest_second
        order = np.lexsort((blocked_second, blocked_first))
        self._blocked_second = blocked_second[order]
        self._blocked_start = np.searchsorted(blocked_first[order], np.arange(n_first + 1))

    @property
    def margin(self) -> float:
        """Bound on the float32 error of any block entry at the current prices."""
        return self.embedding.margin

    def block(self, r0: int, r1: int, c0: int, c1: int) -> Float32Array:
        """Scores of rows ``r0:r1`` against columns ``c0:c1``."""
        e = self.embedding
        scores = e.dense_first[r0:r1] @ e.dense_second[c0:c1].T
        self._add_sparse(scores, e.sparse_first[r0:r1], e.sparse_second_t[:, c0:c1])
        start, stop = self._blocked_start[r0], self._blocked_start[r1]
        if stop > start:
            cols = self._blocked_second[start:stop]
            rows = np.repeat(np.arange(r1 - r0), np.diff(self._blocked_start[r0 : r1 + 1]))
            inside = (cols >= c0) & (cols < c1)
            scores[rows[inside], cols[inside] - c0] = -np.inf
        if self.symmetric:
            low, high = max(r0, c0), min(r1, c1)
            if low < high:
                diagonal = np.arange(low, high)
                scores[diagonal - r0, diagonal - c0] = -np.inf
        if self.lowest_second is not None:
            lowest = self.lowest_second[r0:r1]
            if lowest.size and int(lowest.max()) > c0:
                scores[np.arange(c0, c1)[None, :] < lowest[:, None]] = -np.inf
        return scores

    def subset(self, rows: IntArray, cols: IntArray) -> Float32Array:
        """Scores of arbitrary ``rows`` (sorted) against arbitrary ``cols`` (sorted)."""
        e = self.embedding
        scores = e.dense_first[rows] @ e.dense_second[cols].T
        self._add_sparse(scores, e.sparse_first[rows], e.sparse_second_t[:, cols])
        position = np.full(self.n_second, -1, dtype=np.int64)
        position[cols] = np.arange(cols.size)
        starts, stops = self._blocked_start[rows], self._blocked_start[rows + 1]
        counts = stops - starts
        if counts.sum():
            take = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(int(counts.sum()))
            where = position[self._blocked_second[take]]
            row_of = np.repeat(np.arange(rows.size), counts)
            hit = where >= 0
            scores[row_of[hit], where[hit]] = -np.inf
        if self.symmetric:
            same = position[rows]
            hit = same >= 0
            scores[np.flatnonzero(hit), same[hit]] = -np.inf
        if self.lowest_second is not None:
            scores[cols[None, :] < self.lowest_second[rows][:, None]] = -np.inf
        return scores

    @staticmethod
    def _add_sparse(scores: Float32Array, first: sp.csr_matrix, second_t: sp.csc_matrix) -> None:
        if first.nnz == 0 or second_t.nnz == 0:
            return
        # CSR × CSC gives a canonical CSR (no duplicate entries): add it straight into the block.
        product = first @ second_t
        if product.nnz:
            rows = np.repeat(np.arange(product.shape[0]), np.diff(product.indptr))
            scores[rows, product.indices] += product.data


@dataclass(frozen=True)
class CandidateGraph:
    """Edges ``first[e]``–``second[e]`` (symmetric graphs: ``first < second``) and thresholds.

    Lists rank partners by reduced score ``w_ij − first_price_i − second_price_j`` (the scan prices).
    ``first_threshold[i]`` is i's k-th best approximate reduced score over all allowed partners
    (``-inf`` when i has fewer than k, all of them in the graph). So an allowed pair missing from the
    graph scores at most ``first_price_i + second_price_j + min(thresholds) + margin``.
    ``has_partner`` flags who has any allowed partner at all.
    """

    first: IntArray
    second: IntArray
    first_threshold: FloatArray
    second_threshold: FloatArray
    first_has_partner: npt.NDArray[np.bool_]
    second_has_partner: npt.NDArray[np.bool_]
    first_price: FloatArray
    second_price: FloatArray
    margin: float


Tile = tuple[int, int, int, int]


@lru_cache(maxsize=1)
def unit_jitter() -> Float32Array:
    """Uniform [0, 1) noise of one block's shape, the same in every run (results are reproducible)."""
    return np.random.default_rng(20261202).random((_ROWS, _COLUMNS), dtype=np.float32)


def pair_noise(first: IntArray, second: IntArray) -> FloatArray:
    """A fixed pseudo-random number in [0, 1) for every pair ``first[t]``–``second[t]``: a mixing
    hash of the two indices, the same in every run and unrelated to their order. Solvers list a
    person's options in this order so that ties do not all fall to the lowest index."""
    h = first.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) ^ second.astype(np.uint64) * np.uint64(
        0xC2B2AE3D27D4EB4F
    )
    h ^= h >> np.uint64(31)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(29)
    return np.asarray((h >> np.uint64(11)).astype(np.float64) * 2.0**-53, dtype=np.float64)


@lru_cache(maxsize=1)
def unit_exponential() -> Float32Array:
    """Exp(1) noise of one block's shape from the same fixed uniforms (at most 16.7: float32)."""
    return np.asarray(-np.log1p(-unit_jitter()), dtype=np.float32)


def _jitter(scorer: BlockScorer, spread: float) -> Float32Array | None:
    """The tie-breaking jitter of this scan (None when every score is 0: nothing to break)."""
    if spread > 0:
        return unit_exponential() * np.float32(spread)
    embedding = scorer.embedding
    scale = (
        embedding.best_score
        + float(np.max(np.abs(embedding.row_price), initial=0.0))
        + float(np.max(np.abs(embedding.col_price), initial=0.0))
    )
    if scale <= 0:
        return None
    return unit_jitter() * np.float32(TIE_BREAK * scale)


def _scored_tiles(scorer: BlockScorer, tiles: list[Tile], spread: float) -> Iterator[tuple[Tile, Float32Array]]:
    """Blocks in order with their tie-breaking jitter, the next one computed in a background thread
    while the caller works on the current one: the matrix products and the selection (mostly NumPy
    code that releases the GIL) then overlap on two cores. Results do not depend on the timing.

    Meanwhile BLAS runs on one thread: with its default of one thread per core, each product took
    both cores from the selection, and the scan of 50,000 people took 5.6 s instead of 4.0 s."""
    if not tiles:
        return
    jitter = _jitter(scorer, spread)

    def score(r0: int, r1: int, c0: int, c1: int) -> Float32Array:
        block = scorer.block(r0, r1, c0, c1)
        if jitter is not None:
            block += jitter[: r1 - r0, : c1 - c0]
        return block

    with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(max_workers=1) as worker:
        ahead = worker.submit(score, *tiles[0])
        for index, tile in enumerate(tiles):
            block = ahead.result()
            if index + 1 < len(tiles):
                ahead = worker.submit(score, *tiles[index + 1])
            yield tile, block


def scan_bipartite(scorer: BlockScorer, k: int, progress: Callable[[float], None] | None = None) -> CandidateGraph:
    """Top-k candidate graph of a two-sided pool (rows: first side, columns: second side)."""
    n_rows, n_cols = scorer.n_first, scorer.n_second
    rows, cols = TopK(n_rows, k), TopK(n_cols, k)
    lowest = scorer.lowest_second if scorer.lowest_second is not None else np.zeros(n_rows, np.int64)
    # Rows sharing their first allowed column form a group; blocks never straddle groups.
    bounds = np.flatnonzero(np.r_[True, lowest[1:] != lowest[:-1], True]) if n_rows else np.zeros(1, np.int64)
    tiles: list[Tile] = []
    for g in range(bounds.size - 1):
        low = int(lowest[bounds[g]])
        for r0 in range(int(bounds[g]), int(bounds[g + 1]), _ROWS):
            r1 = min(r0 + _ROWS, int(bounds[g + 1]))
            tiles.extend((r0, r1, c0, min(c0 + _COLUMNS, n_cols)) for c0 in range(low, n_cols, _COLUMNS))
    total = sum((r1 - r0) * (c1 - c0) for r0, r1, c0, c1 in tiles) or 1
    done = 0
    for (r0, r1, c0, c1), block in _scored_tiles(scorer, tiles, 0.0):
        offer_block(block, r0, c0, rows, cols)
        done += (r1 - r0) * (c1 - c0)
        if progress is not None:
            progress(done / total)
    rows.finish()
    cols.finish()
    first, second = _union(rows, cols, n_cols)
    return CandidateGraph(
        first=first,
        second=second,
        first_threshold=rows.final_thresholds(),
        second_threshold=cols.final_thresholds(),
        first_has_partner=rows.count > 0,
        second_has_partner=cols.count > 0,
        first_price=scorer.embedding.row_price,
        second_price=scorer.embedding.col_price,
        margin=scorer.margin,
    )


def scan_symmetric(
    scorer: BlockScorer, k: int, progress: Callable[[float], None] | None = None, *, spread: float = 0.0
) -> CandidateGraph:
    """Top-k candidate graph of a one-pool (reciprocal) program; edges have ``first < second``.
    ``spread``: the tie spread of a pool whose scores mostly tie (``prices``), 0 otherwise."""
    n = scorer.n_first
    lists = TopK(n, k)
    size = _ROWS  # square tiles; only tiles on or above the diagonal are scored
    starts = list(range(0, n, size))
    tiles: list[Tile] = [
        (r0, min(r0 + size, n), c0, min(c0 + size, n)) for a, r0 in enumerate(starts) for c0 in starts[a:]
    ]
    for done, ((r0, _r1, c0, _c1), block) in enumerate(_scored_tiles(scorer, tiles, spread), start=1):
        offer_block(block, r0, c0, lists, None if c0 == r0 else lists)
        if progress is not None:
            progress(done / len(tiles))
    lists.finish()
    owner = np.repeat(np.arange(n), k)
    partner = lists.partners.ravel()
    keep = partner >= 0
    low = np.minimum(owner[keep], partner[keep])
    high = np.maximum(owner[keep], partner[keep])
    key = unique_keys(low * n + high)
    threshold = lists.final_thresholds()
    has = lists.count > 0
    return CandidateGraph(
        first=key // max(n, 1),
        second=key % max(n, 1),
        first_threshold=threshold,
        second_threshold=threshold,
        first_has_partner=has,
        second_has_partner=has,
        first_price=scorer.embedding.row_price,
        second_price=scorer.embedding.col_price,
        margin=scorer.margin,
    )


def _union(rows: TopK, cols: TopK, n_cols: int) -> tuple[IntArray, IntArray]:
    n_rows = rows.count.size
    r1 = np.repeat(np.arange(n_rows), rows.k)
    c1 = rows.partners.ravel()
    c2 = np.repeat(np.arange(n_cols), cols.k)
    r2 = cols.partners.ravel()
    r = np.concatenate([r1[c1 >= 0], r2[r2 >= 0]])
    c = np.concatenate([c1[c1 >= 0], c2[r2 >= 0]])
    key = unique_keys(r * max(n_cols, 1) + c)
    return key // max(n_cols, 1), key % max(n_cols, 1)


def unique_keys(keys: IntArray) -> IntArray:
    """Sorted distinct keys (sort-based: faster than NumPy's hashing ``unique`` for these sizes)."""
    keys = np.sort(keys)
    return keys[np.r_[True, keys[1:] != keys[:-1]]] if keys.size else keys
