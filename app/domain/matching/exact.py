"""Exact best total of one pool (reciprocal programs), capacities included: blossom on a reduction.

Edmonds' blossom algorithm (rustworkx, compiled) finds a maximum-weight matching of a general graph
exactly, on integer weights (``costs``). Capacities above 1 are reduced to plain matching:

- a person with capacity ``b`` becomes ``b`` copies, and a pair becomes an edge between every copy of
  one and every copy of the other; when one of the two has capacity 1 the pair can be used at most
  once anyway;
- when both have capacity 2 or more, the copies could pair the same two people twice. Such a pair is
  replaced, only if the optimum actually used it twice, by the standard gadget: two new nodes
  ``g_u``, ``g_v`` and edges ``copy of u – g_u`` (``C + w``), ``g_u – g_v`` (``2C``),
  ``g_v – copy of v`` (``C``) with ``C > w``. Any best matching takes either the middle edge (pair not
  used, worth ``2C``) or both ends (pair used once, worth ``2C + w``), so the reduction is exact; the
  solve is repeated until no pair is used twice.

The blossom algorithm takes cubic time in the number of nodes: the engine calls this only where it
fits the time limit (pilot-sized pools).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import rustworkx as rx

from app.domain.matching.costs import exact_integer_costs

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

_BITS = 80  # rustworkx weighs in 128-bit integers: room for fine scores and the gadgets' constants


def blossom_edges(n: int, first: IntArray, second: IntArray, weight: FloatArray, capacity: IntArray) -> IntArray:
    """Indices of the edges of a best-total b-matching of ``first[e]``–``second[e]`` (each pair at most
    once, person ``v`` in at most ``capacity[v]`` pairs). Among equal totals, the most pairs."""
    live = np.flatnonzero((capacity[first] > 0) & (capacity[second] > 0))
    if live.size == 0:
        return np.zeros(0, np.int64)
    capacity = np.minimum(capacity.astype(np.int64), np.bincount(np.concatenate([first, second]), minlength=n))
    max_pairs = int(capacity.sum()) // 2
    value = exact_integer_costs(weight[live], max_pairs, _BITS)
    big = 2 * (max(value) + 1)  # C > any edge value; 2C for the gadget's middle edge
    offset = np.concatenate([[0], np.cumsum(capacity)]).tolist()
    cap = capacity.tolist()
    ends = list(zip(first[live].tolist(), second[live].tolist(), strict=True))
    gadget: set[int] = set()
    while True:
        graph: rx.PyGraph = rx.PyGraph()
        graph.add_nodes_from(range(offset[-1]))
        owner: dict[tuple[int, int], int] = {}  # copy edge → position in ``live``
        for position, ((u, v), w) in enumerate(zip(ends, value, strict=True)):
            if position in gadget:
                g_u, g_v = graph.add_node(None), graph.add_node(None)
                for a in range(offset[u], offset[u] + cap[u]):
                    graph.add_edge(a, g_u, big // 2 + w)
                graph.add_edge(g_u, g_v, big)
                for b in range(offset[v], offset[v] + cap[v]):
                    owner[(g_v, b)] = position
                    graph.add_edge(g_v, b, big // 2)
                continue
            for a in range(offset[u], offset[u] + cap[u]):
                for b in range(offset[v], offset[v] + cap[v]):
                    owner[(a, b)] = position
                    graph.add_edge(a, b, w)
        matched = rx.max_weight_matching(graph, weight_fn=lambda w: int(w))
        used: list[int] = []
        for a, b in matched:
            key = (a, b) if (a, b) in owner else (b, a)
            if key in owner:
                used.append(owner[key])
        counts = np.bincount(np.asarray(used, dtype=np.int64), minlength=live.size)
        if not bool(np.any(counts > 1)):
            return np.sort(live[np.flatnonzero(counts > 0)])
        # Pairs of two multi-capacity people the optimum uses at all are the likely next offenders:
        # giving them gadgets now saves solves.
        gadget |= {p for p in np.flatnonzero(counts > 0).tolist() if cap[ends[p][0]] > 1 and cap[ends[p][1]] > 1}


def estimated_seconds(n: int, capacity: IntArray, edges: int) -> float:
    """A pessimistic estimate of ``blossom_edges`` on this graph (cubic in copies; measured about
    0.7 s for 1,000 people on two shared cores)."""
    copies = float(np.minimum(capacity, max(1, edges)).sum()) if capacity.size else 0.0
    return 1e-9 * max(copies, 1.0) ** 3 + 2e-6 * edges * max(1.0, float(np.mean(capacity)) ** 2) + math.ulp(1.0)
