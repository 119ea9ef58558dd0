"""Scores as exact integers for the combinatorial solvers, scaled from the pool's own range.

Solvers that work on integers (min-cost flow, blossom) are exact for the integers they are given, so
the scale decides how close their optimum is to the optimum of the real scores. A fixed scale would
make the result depend on the absolute size of the weights (weights × 1e-6 would round most scores
to the same few integers); here the largest score of the graph always maps to the top of the
integer range the solver can take, whatever the weights.

Each pair also earns one extra unit, worth less than one unit of score in total (scores are
multiplied by more than the number of pairs any solution can hold): among the best-scoring
solutions the solver then prefers the one with the most pairs, so a pair scoring 0 still beats
leaving both people alone.

Scores that are all small multiples of a power of two (a pool scored only by whole and half factors,
such as one without skills) are taken exactly at the smallest such scale instead: the same optimum,
and costs a few bits long instead of forty, on which the min-cost flow's cost scaling needs fewer
phases (measured: half the time on a tied 10,000-person pool).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class IntegerCosts:
    """``value[e] = round(weight[e] · scale) · per_score + 1``; ``unit`` turns integers back into
    score units (``1 / (scale · per_score)``); ``rounding`` bounds what rounding took off a score
    (0 when every ``weight · scale`` was already an integer)."""

    value: IntArray
    scale: float
    per_score: int
    rounding: float

    @property
    def unit(self) -> float:
        return 1.0 / (self.scale * self.per_score)


def integer_costs(weight: FloatArray, max_pairs: int, bits: int) -> IntegerCosts:
    """Scores as integers below ``2**bits`` (plus the pairing unit), best possible resolution.

    ``max_pairs`` is an upper bound on the number of pairs a solution holds.
    """
    per_score = max(1, max_pairs) + 1
    top = float(np.max(weight, initial=0.0))
    room = 2.0 ** (bits - math.ceil(math.log2(per_score)))
    scale = _dyadic_scale(weight, room / top) if top > 0 else 1.0
    scaled = weight * scale
    exact = np.array_equal(np.rint(scaled), scaled)
    rounded = np.maximum(np.rint(scaled), 0).astype(np.int64)
    return IntegerCosts(
        value=rounded * per_score + 1, scale=scale, per_score=per_score, rounding=0.0 if exact else 0.5 / scale
    )


_DYADIC_BITS = 16  # scales tried: 2**0 … 2**16
_PROBE = 256  # weights that must fit a scale before all are checked


def _dyadic_scale(weight: FloatArray, largest: float) -> float:
    """The smallest ``2**e`` (``0 ≤ e ≤ _DYADIC_BITS``, at most ``largest``) that makes every weight
    an integer, if there is one; otherwise ``largest``. Multiplying by a power of two is exact, so the
    integers are then the scores themselves, scaled."""
    probe = weight[:_PROBE]
    for e in range(_DYADIC_BITS + 1):
        scale = math.ldexp(1.0, e)
        if scale > largest:
            break
        if np.array_equal(np.rint(probe * scale), probe * scale):
            scaled = weight * scale
            if np.array_equal(np.rint(scaled), scaled):
                return scale
            break
    return largest


def exact_integer_costs(weight: FloatArray, max_pairs: int, bits: int) -> list[int]:
    """As ``integer_costs``, in Python integers of up to ``bits`` bits and a power-of-two scale: a
    float times a power of two is exact, so only score differences below ``2**-bits`` of the largest
    score are lost (for solvers that take arbitrary-size integers)."""
    per_score = max(1, max_pairs) + 1
    top = float(np.max(weight, initial=0.0))
    exponent = bits - math.ceil(math.log2(per_score)) - (math.frexp(top)[1] if top > 0 else 0)
    return [int(math.ldexp(max(w, 0.0), exponent) + 0.5) * per_score + 1 for w in weight.tolist()]
