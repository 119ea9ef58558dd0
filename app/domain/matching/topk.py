"""Each person's running top k partners during the scan, and the selection that feeds them.

``TopK`` keeps the best ``k`` partners of every owner lazily (a buffer per owner, compacted when it
overflows); ``offer_block`` offers one scored block's entries above the owners' current k-th best to
the row lists and, for two-sided or off-diagonal blocks, to the column lists.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
Float32Array = npt.NDArray[np.float32]


class TopK:
    """The best ``k`` partners of every owner, kept lazily.

    Each owner has a buffer of ``4k`` slots and a ``threshold`` that is always a valid lower bound of
    its k-th best value so far (so entries at or below it are never needed). New entries are
    appended; an owner whose buffer overflows is compacted to its top k, which raises its threshold.
    Amortised, an entry costs O(1) instead of a merge with the owner's whole list.
    """

    def __init__(self, n: int, k: int) -> None:
        self.k = k
        self.slots = 4 * k
        self.values = np.full((n, self.slots), -np.inf, dtype=np.float32)
        self.partners = np.full((n, self.slots), -1, dtype=np.int64)
        self.fill = np.zeros(n, dtype=np.int64)
        self.threshold = np.full(n, -np.inf, dtype=np.float32)

    def add(self, owner: IntArray, partner: IntArray, value: Float32Array) -> None:
        """Keep entries (all above their owner's threshold)."""
        if owner.size == 0:
            return
        if owner.size > 1 and bool(np.any(owner[1:] < owner[:-1])):
            # Small offsets sort as 16-bit keys (radix sort) when the owners span a block.
            base = int(owner.min())
            span = int(owner.max()) - base
            keys = (owner - base).astype(np.uint16) if span < 1 << 16 else owner
            order = np.argsort(keys, kind="stable")
            owner, partner, value = owner[order], partner[order], value[order]
        starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
        counts = np.diff(np.r_[starts, owner.size])
        owners = owner[starts]
        rank = np.arange(owner.size) - np.repeat(starts, counts)
        over = self.fill[owners] + counts > self.slots
        fits = ~np.repeat(over, counts)
        o = owner[fits]
        position = self.fill[o] + rank[fits]
        self.values[o, position] = value[fits]
        self.partners[o, position] = partner[fits]
        self.fill[owners[~over]] += counts[~over]
        if over.any():
            spill = ~fits
            self._compact(owners[over], counts[over], rank[spill], partner[spill], value[spill])

    def _compact(
        self, owners: IntArray, counts: IntArray, rank: IntArray, partner: IntArray, value: Float32Array
    ) -> None:
        """Reduce ``owners`` to their top k over buffer + new entries (grouped by owner, in order)."""
        k, slots = self.k, self.slots
        width = slots + (int(counts.max()) if counts.size else 0)
        values = np.full((owners.size, width), -np.inf, dtype=np.float32)
        partners = np.full((owners.size, width), -1, dtype=np.int64)
        values[:, :slots] = self.values[owners]
        partners[:, :slots] = self.partners[owners]
        line = np.repeat(np.arange(owners.size), counts)
        values[line, slots + rank] = value
        partners[line, slots + rank] = partner
        top = np.argpartition(-values, k - 1, axis=1)[:, :k]
        kept = np.take_along_axis(values, top, axis=1)
        self.values[owners] = -np.inf
        self.partners[owners] = -1
        self.values[owners, :k] = kept
        self.partners[owners, :k] = np.take_along_axis(partners, top, axis=1)
        self.fill[owners] = k
        self.threshold[owners] = np.maximum(self.threshold[owners], kept.min(axis=1))

    def finish(self) -> None:
        """Compact everyone to their top k, sorted by value (desc), ties by partner index."""
        n = self.fill.size
        busy = np.flatnonzero(self.fill > self.k)
        for start in range(0, busy.size, 4096):
            part = busy[start : start + 4096]
            self._compact(part, np.zeros(part.size, np.int64), *(np.zeros(0, np.int64),) * 2, np.zeros(0, np.float32))
        k = self.k
        values = self.values[:, :k]
        partners = self.partners[:, :k]
        order = np.lexsort((partners, -values), axis=1) if n else np.zeros((0, k), np.int64)
        self.values = np.take_along_axis(values, order, axis=1)
        self.partners = np.take_along_axis(partners, order, axis=1)

    @property
    def count(self) -> IntArray:
        """How many partners each owner keeps (after ``finish``)."""
        return np.asarray(np.count_nonzero(self.partners[:, : self.k] >= 0, axis=1), dtype=np.int64)

    def final_thresholds(self) -> FloatArray:
        """k-th best value, ``-inf`` where fewer than k partners exist (then all of them are kept)."""
        full = self.count >= self.k
        return np.where(full, self.values[:, self.k - 1].astype(np.float64), -np.inf)


_PROBE = 512  # columns (rows) sampled to give a first threshold to lists seeing their first block


def _effective(thresholds: Float32Array, scores: Float32Array, k: int, axis: int) -> Float32Array:
    """Thresholds to extract with; lists still empty get the k-th best of a probe of the block
    (a valid lower bound: at least k entries reach it), minus one ulp so those k are kept."""
    out = thresholds.copy()
    fresh = np.flatnonzero(np.isneginf(thresholds))
    if fresh.size == 0:
        return out
    others = scores.shape[axis]
    stride = max(1, others // _PROBE)
    probe = scores[fresh, ::stride] if axis == 1 else scores[::stride, fresh].T
    if probe.shape[1] >= k:
        kth = np.partition(probe, probe.shape[1] - k, axis=1)[:, probe.shape[1] - k]
        out[fresh] = np.nextafter(kth, np.float32(-np.inf))
    return out


def offer_block(scores: Float32Array, r0: int, c0: int, rows: TopK, cols: TopK | None) -> None:
    """Offer a block's entries above their thresholds to the row lists and the column lists."""
    b, c = scores.shape
    k = rows.k
    row_thr = _effective(rows.threshold[r0 : r0 + b], scores, k, axis=1)
    rows.threshold[r0 : r0 + b] = row_thr
    mask = scores > row_thr[:, None]
    col_thr = None
    if cols is not None:
        col_thr = _effective(cols.threshold[c0 : c0 + c], scores, k, axis=0)
        cols.threshold[c0 : c0 + c] = col_thr
        mask |= scores > col_thr[None, :]
    flat = np.flatnonzero(mask)
    rr, cc = np.divmod(flat, c)
    value = scores.ravel()[flat]
    to_row = value > row_thr[rr]
    rows.add(r0 + rr[to_row], c0 + cc[to_row], value[to_row])
    if cols is not None and col_thr is not None:
        to_col = value > col_thr[cc]
        cols.add(c0 + cc[to_col], r0 + rr[to_col], value[to_col])
