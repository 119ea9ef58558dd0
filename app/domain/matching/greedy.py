"""Greedy pairing: what most matching tools do, kept as a baseline, a fallback and a final fill.

Sort the allowed edges by score (highest first; ties by the smaller endpoints) and take an edge
whenever both ends still have capacity. Fast and simple, but it can lock a strong person into their
single best pair while two better pairs existed elsewhere; the engine's solvers do not.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def greedy_edges(a: IntArray, b: IntArray, weight: FloatArray, capacity: IntArray) -> IntArray:
    """Indices of the edges greedy takes; ``a``/``b`` are endpoints in one index space (two-sided
    pools offset one side), ``capacity`` is how many edges each endpoint may still take."""
    if a.size == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((b, a, -weight))
    left = capacity.astype(np.int64).tolist()
    taken: list[int] = []
    ends_a = a[order].tolist()
    ends_b = b[order].tolist()
    for position, (x, y) in enumerate(zip(ends_a, ends_b, strict=True)):
        if left[x] > 0 and left[y] > 0 and x != y:
            left[x] -= 1
            left[y] -= 1
            taken.append(position)
    return np.sort(order[np.asarray(taken, dtype=np.int64)])
