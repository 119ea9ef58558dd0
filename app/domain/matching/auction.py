"""Bertsekas' auction algorithm for large assignment problems, warm-started from a previous solve.

Every row (bidder) must get one object; each row's options are its CSR slice. A free row bids for its
best object (value − price; of tied objects, the one its slice lists first) and raises that object's
price by the gap to its second-best option plus ``eps``; the previous owner becomes free. The final
assignment is within ``rows × eps`` of optimal and the final prices, with each row's profit
``max(value − price)``, are dual-feasible: exactly what the upper bound needs (see ``bounds``). ``eps``
shrinks in phases (ε-scaling), each phase keeping the prices of the previous one.

Free rows bid all at once while there are many (vectorised "Jacobi" rounds); the last few, whose
evictions chain one after another, bid one at a time in a plain loop ("Gauss–Seidel"), which is far
cheaper than a vectorised round per bid. SciPy's LAPJVsp is exact but slows down badly on large,
price-aware candidate graphs (many near-ties); the auction does not.

An auction's running time depends on its prices more than on its size (a poor warm start can take
many small bids per object), so it watches the run's ``Deadline`` itself: past it, it stops bidding
and raises ``AuctionStopped``, and the caller keeps the result it already had.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from app.domain.matching.deadline import Deadline

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

# Below this many free rows, bids go one at a time. Vectorised rounds stay cheaper per bid than the
# plain loop down to a few dozen free rows (measured at 50,000 people: a floor of 1 % of the rows,
# 500, left 6.0 s of one-at-a-time bids and the auction took 6.6 s; 16 left 3.3 s and 4.4 s; floors
# of 8 and 2 gave the same total as 16, the vectorised rounds then taking what the loop no longer did).
_BATCH_FLOOR = 16
_BIDS_PER_CHECK = 4096  # one-at-a-time bids between two looks at the deadline


class AuctionStopped(Exception):
    """The run's time limit passed while the auction was still bidding (no assignment)."""


def auction(
    indptr: IntArray,
    cols: IntArray,
    value: FloatArray,
    n_objects: int,
    price: FloatArray,
    schedule: list[float],
    assigned: IntArray | None = None,
    deadline: Deadline | None = None,
) -> tuple[IntArray, FloatArray]:
    """Assign every row an object; returns ``(object of each row, prices)``.

    ``assigned`` (optional) is a previous assignment (with ``price`` its final prices): only the last
    phase runs, and rows whose object is still within ``eps`` of their best option keep it. Raises
    ``AuctionStopped`` once ``deadline`` has passed.
    """
    n_rows = indptr.size - 1
    price = price.astype(np.float64).copy()
    spread = float(np.max(np.abs(value), initial=0.0)) + 1.0  # stands for "no second option"
    degree = np.diff(indptr)
    rows_of_edge = np.repeat(np.arange(n_rows), degree)
    owner = np.full(n_objects, -1, dtype=np.int64)
    col_of_row = np.full(n_rows, -1, dtype=np.int64)
    if assigned is not None:
        schedule = schedule[-1:]
    for phase, eps in enumerate(schedule):
        owner[:] = -1
        col_of_row[:] = -1
        if phase == 0 and assigned is not None:
            best = np.maximum.reduceat(value - price[cols], indptr[:-1]) if cols.size else np.zeros(n_rows)
            mine = np.full(n_rows, -np.inf)
            held = cols == assigned[rows_of_edge]
            mine[rows_of_edge[held]] = (value - price[cols])[held]
            keep = np.flatnonzero((mine >= best - eps) & (assigned >= 0))
            # One owner per object: the first row (by index) keeps it.
            objects, first = np.unique(assigned[keep], return_index=True)
            keep = keep[first]
            owner[objects] = keep
            col_of_row[keep] = objects
        free = np.flatnonzero(col_of_row < 0)
        free = _jacobi(indptr, cols, value, degree, price, owner, col_of_row, free, eps, spread, deadline)
        _gauss_seidel(indptr, cols, value, price, owner, col_of_row, free, eps, spread, deadline)
    return col_of_row, price


def _jacobi(
    indptr: IntArray,
    cols: IntArray,
    value: FloatArray,
    degree: IntArray,
    price: FloatArray,
    owner: IntArray,
    col_of_row: IntArray,
    free: IntArray,
    eps: float,
    spread: float,
    deadline: Deadline | None,
) -> IntArray:
    """Rounds in which every free row bids at once; stops when few rows are free."""
    while free.size > _BATCH_FLOOR:
        if deadline is not None and deadline.passed():
            raise AuctionStopped
        lengths = degree[free]
        total = int(lengths.sum())
        seg_start = np.cumsum(lengths) - lengths
        segment = np.repeat(np.arange(free.size), lengths)
        position = np.repeat(indptr[free] - seg_start, lengths) + np.arange(total)
        objects = cols[position]
        profit = value[position] - price[objects]
        best = np.maximum.reduceat(profit, seg_start)
        at_best = np.where(profit == best[segment], np.arange(total), total)
        choice = np.minimum.reduceat(at_best, seg_start)  # ties: the option listed first
        profit[choice] = -np.inf
        second = np.maximum.reduceat(profit, seg_start)
        second = np.where(np.isfinite(second), second, best - spread)
        wanted = objects[choice]
        bid = price[wanted] + best - second + eps
        # Each object goes to its highest bid (ties: the smaller row).
        order = np.lexsort((free, -bid, wanted))
        head = np.r_[True, wanted[order][1:] != wanted[order][:-1]]
        winners = order[head]
        won = wanted[winners]
        evicted = owner[won]
        evicted = evicted[evicted >= 0]
        col_of_row[evicted] = -1
        owner[won] = free[winners]
        col_of_row[free[winners]] = won
        price[won] = bid[winners]
        losing = np.ones(free.size, dtype=bool)
        losing[winners] = False
        free = np.sort(np.concatenate([free[losing], evicted]))
    return free


def _gauss_seidel(
    indptr: IntArray,
    cols: IntArray,
    value: FloatArray,
    price: FloatArray,
    owner: IntArray,
    col_of_row: IntArray,
    free: IntArray,
    eps: float,
    spread: float,
    deadline: Deadline | None,
) -> None:
    """One bid at a time (the tail): each eviction is followed at once by the evicted row's bid."""
    if free.size == 0:
        return
    ptr = indptr.tolist()
    objects = cols.tolist()
    values = value.tolist()
    prices = price.tolist()
    owners = owner.tolist()
    holding = col_of_row.tolist()
    waiting = sorted(free.tolist(), reverse=True)
    bids = 0
    while waiting:
        bids += 1
        if deadline is not None and bids % _BIDS_PER_CHECK == 0 and deadline.passed():
            raise AuctionStopped
        row = waiting.pop()
        best = second = -math.inf
        choice = -1
        start, end = ptr[row], ptr[row + 1]
        for j, worth in zip(objects[start:end], values[start:end], strict=True):
            gain = worth - prices[j]
            if gain > best:
                second = best
                best, choice = gain, j
            elif gain == best:
                second = gain  # a tie: the first listed keeps it, the bid raises the price by eps only
            elif gain > second:
                second = gain
        if second == -math.inf:
            second = best - spread
        prices[choice] += best - second + eps
        previous = owners[choice]
        owners[choice] = row
        holding[row] = choice
        if previous >= 0:
            holding[previous] = -1
            waiting.append(previous)
    price[:] = prices
    owner[:] = owners
    col_of_row[:] = holding
