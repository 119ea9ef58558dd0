"""The pool as arrays, for scoring many pairs at once.

Two views of the same factors (see ``scoring``):

- ``PoolFeatures.scores``: exact float64 scores of given pairs, from bitsets, with the same float
  operations in the same order as ``scoring.score_pair`` (so results are bit-identical);
- ``PoolFeatures.embedding``: every factor written as a bilinear form, ``score(i, j) = x_i · z_j``
  (categorical factors through small lookup tables), so that a whole block of pairs is one float32
  matrix product. Those block scores are approximate; ``Embedding.margin`` bounds their error, which
  is what lets the candidate graph and the upper bound stay sound.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from app.domain.matching.model import FACTOR_NAMES, Candidate, MatchingSettings
from app.domain.matching.scoring import diversity_value, gap_value

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
Float32Array = npt.NDArray[np.float32]
Bits = npt.NDArray[np.uint64]
Category = TypeVar("Category")

_MAX_TABLE = 512  # categories above this fall back to a constant upper bound for the factor
_DENSE_SHARE = 0.02  # pair-products left to sparse columns, as a share of all pairs


class Embedding:
    """Bilinear features: ``block score ≈ dense_first[i] · dense_second[j] + sparse part − prices``.

    The last two dense columns hold prices: ``x_i = (…, 1, −row_price_i)`` and
    ``z_j = (…, −col_price_j, 1)``, so a block holds *reduced* scores ``w_ij − row_price_i −
    col_price_j`` (prices are 0 until ``set_prices``). ``margin`` bounds the float32 error of a block
    entry for every pair.
    """

    def __init__(
        self,
        dense_first: Float32Array,
        dense_second: Float32Array,
        sparse_first: sp.csr_matrix,
        sparse_second_t: sp.csc_matrix,
        *,
        terms: int,
        best_score: float,
    ) -> None:
        self.dense_first = dense_first
        self.dense_second = dense_second
        self.sparse_first = sparse_first
        self.sparse_second_t = sparse_second_t  # transposed: features × people
        self.terms = terms
        self.best_score = best_score
        self.row_price = np.zeros(dense_first.shape[0])
        self.col_price = np.zeros(dense_second.shape[0])
        self.margin = self._margin()

    def set_prices(self, row_price: FloatArray, col_price: FloatArray) -> None:
        """Make blocks hold ``w_ij − row_price_i − col_price_j``."""
        self.row_price = row_price.astype(np.float64)
        self.col_price = col_price.astype(np.float64)
        self.dense_first[:, -2] = 1.0
        self.dense_first[:, -1] = -row_price
        self.dense_second[:, -2] = -col_price
        self.dense_second[:, -1] = 1.0
        self.margin = self._margin()

    def sliced(self, first: slice, second: slice) -> Embedding:
        """The embedding of a part of the rows and a part of the columns (copies)."""
        return Embedding(
            np.ascontiguousarray(self.dense_first[first]),
            np.ascontiguousarray(self.dense_second[second]),
            sp.csr_matrix(self.sparse_first[first]),
            sp.csc_matrix(self.sparse_second_t[:, second]),
            terms=self.terms,
            best_score=self.best_score,
        )

    def _margin(self) -> float:
        # A float32 dot product of d terms is within about d·2⁻²⁴ of the exact value, relative to the
        # sum of the terms' magnitudes (≤ best score + both prices); the factor 2 is a safety margin.
        largest_prices = float(np.max(np.abs(self.row_price), initial=0.0)) + float(
            np.max(np.abs(self.col_price), initial=0.0)
        )
        # Relative to the largest score that can occur (``best_score`` is the pool's own ceiling, not
        # the weights' maximum): a pool whose scores are all 0 has a margin of exactly 0.
        return 2.0 * (self.terms + 6) * 2.0**-24 * (self.best_score + largest_prices) * (1 + 1e-6)


class _Vocabulary:
    def __init__(self) -> None:
        self.codes: dict[Hashable, int] = {}

    def code(self, value: Hashable) -> int:
        return self.codes.setdefault(value, len(self.codes))


def _bitset(rows: list[int], items: list[int], n: int, size: int) -> Bits:
    words = max(1, (size + 63) // 64)
    bits = np.zeros((n, words), dtype=np.uint64)
    if rows:
        r = np.asarray(rows, dtype=np.int64)
        i = np.asarray(items, dtype=np.int64)
        np.bitwise_or.at(bits, (r, i // 64), np.left_shift(np.uint64(1), (i % 64).astype(np.uint64)))
    return bits


def _common(a: Bits, b: Bits, first: IntArray, second: IntArray) -> IntArray:
    return np.asarray(np.bitwise_count(a[first] & b[second]).sum(axis=1, dtype=np.int64), dtype=np.int64)


def _ratio(numerator: IntArray, denominator: npt.NDArray[np.float64] | IntArray) -> FloatArray:
    out = np.zeros(numerator.shape, dtype=np.float64)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


class _SetFeature:
    """One set-valued attribute (skills, interests, …) for every person: bitset, size, incidence."""

    def __init__(self, sets: Sequence[frozenset[str]], vocabulary: _Vocabulary) -> None:
        rows: list[int] = []
        items: list[int] = []
        for index, values in enumerate(sets):
            for value in sorted(values):
                rows.append(index)
                items.append(vocabulary.code(value))
        self.rows = np.asarray(rows, dtype=np.int64)
        self.items = np.asarray(items, dtype=np.int64)
        self.vocabulary = vocabulary
        self.n = len(sets)
        self.size = np.bincount(self.rows, minlength=self.n).astype(np.int64)
        self.bits = _bitset(rows, items, self.n, len(vocabulary.codes))

    def incidence(self, scale: FloatArray) -> sp.csr_matrix:
        """People × vocabulary matrix whose row i holds ``scale[i]`` at i's items."""
        shape = (self.n, max(1, len(self.vocabulary.codes)))
        return sp.csr_matrix((scale[self.rows], (self.rows, self.items)), shape=shape, dtype=np.float64)


class PoolFeatures:
    """A pool encoded for bulk scoring; index ``i`` is ``pool[i]``."""

    def __init__(self, pool: Sequence[Candidate], settings: MatchingSettings) -> None:
        self.settings = settings
        self.n = len(pool)
        skills = _Vocabulary()
        self.offered = _SetFeature([c.skills_offered for c in pool], skills)
        self.wanted = _SetFeature([c.skills_wanted for c in pool], skills)
        # The two share one vocabulary: rebuild the first bitset at the final width.
        self.offered.bits = _bitset(self.offered.rows.tolist(), self.offered.items.tolist(), self.n, len(skills.codes))
        self.interests = _SetFeature([c.interests for c in pool], _Vocabulary())
        self.modes = _SetFeature([c.meeting_modes for c in pool], _Vocabulary())
        self.slots = _SetFeature([c.availability for c in pool], _Vocabulary())
        departments = _Vocabulary()
        self.department = np.asarray(
            [-1 if c.department is None else departments.code(c.department) for c in pool], dtype=np.int64
        )
        self.n_departments = len(departments.codes)
        locations = _Vocabulary()
        self.location = np.asarray(
            [-1 if c.location is None else locations.code(c.location) for c in pool], dtype=np.int64
        )
        self.n_locations = len(locations.codes)
        self.in_person = np.asarray(["in_person" in c.meeting_modes for c in pool], dtype=bool)
        # Seniority and generation only matter together, through gap_value: one category per combo.
        profiles: dict[tuple[int, str | None], int] = {}
        self.profile = np.asarray(
            [profiles.setdefault((c.seniority, c.generation), len(profiles)) for c in pool], dtype=np.int64
        )
        self.profiles = list(profiles)
        ideal = settings.ideal_seniority_gap
        self.gap_table = _table(self.profiles, lambda a, b: gap_value(a[0], a[1], b[0], b[1], ideal))
        consents: dict[tuple[tuple[str, str], ...], int] = {}
        self.consent = np.asarray(
            [consents.setdefault(tuple(sorted(c.consented_attributes.items())), len(consents)) for c in pool],
            dtype=np.int64,
        )
        self.consents = list(consents)
        self.diversity_table = _table(self.consents, lambda a, b: diversity_value(dict(a), dict(b)))
        # Exact diversity for any number of consent patterns: shared keys minus shared key=value pairs.
        self.consent_keys = _SetFeature([frozenset(c.consented_attributes) for c in pool], _Vocabulary())
        self.consent_values = _SetFeature(
            [frozenset(f"{key}\x00{value}" for key, value in c.consented_attributes.items()) for c in pool],
            _Vocabulary(),
        )

    # ----------------------------------------------------------------------------- exact scores

    def values(self, first: IntArray, second: IntArray) -> FloatArray:
        """Factor values (``FACTOR_NAMES`` × pairs) of pairs ``first[e]``–``second[e]``.

        Reverse programs: ``first`` are mentors.
        """
        settings = self.settings
        out = np.zeros((len(FACTOR_NAMES), first.size), dtype=np.float64)
        if first.size == 0:
            return out
        forward = _ratio(_common(self.offered.bits, self.wanted.bits, first, second), self.wanted.size[second])
        if settings.kind == "reverse":
            out[0] = forward
        else:
            backward = _ratio(_common(self.offered.bits, self.wanted.bits, second, first), self.wanted.size[first])
            out[0] = (forward + backward) / 2
        out[1] = self._overlap(self.interests, first, second)
        a, b = self.department[first], self.department[second]
        known = (a >= 0) & (b >= 0)
        if settings.department_preference == "cross":
            out[2] = (known & (a != b)).astype(np.float64)
        elif settings.department_preference == "same":
            out[2] = (known & (a == b)).astype(np.float64)
        la, lb = self.location[first], self.location[second]
        out[3] = (self.in_person[first] & self.in_person[second] & (la >= 0) & (la == lb)).astype(np.float64)
        if self.gap_table is not None:
            out[4] = self.gap_table[self.profile[first], self.profile[second]]
        else:
            out[4] = self._gap(first, second)
        out[5] = self._overlap(self.modes, first, second)
        out[6] = self._overlap(self.slots, first, second)
        shared = _common(self.consent_keys.bits, self.consent_keys.bits, first, second)
        same = _common(self.consent_values.bits, self.consent_values.bits, first, second)
        out[7] = _ratio(shared - same, shared)
        return out

    def scores(self, first: IntArray, second: IntArray, *, chunk: int = 1 << 20) -> FloatArray:
        """Exact scores of pairs; same floats as ``score_pair`` (contributions summed in order)."""
        weights = self.settings.weights.as_tuple()
        total = np.zeros(first.size, dtype=np.float64)
        for start in range(0, first.size, chunk):
            part = slice(start, start + chunk)
            values = self.values(first[part], second[part])
            score = np.zeros(values.shape[1], dtype=np.float64)
            for row, weight in enumerate(weights):
                score += weight * values[row]
            total[part] = score
        return total

    def _overlap(self, feature: _SetFeature, first: IntArray, second: IntArray) -> FloatArray:
        common = _common(feature.bits, feature.bits, first, second)
        product = (feature.size[first] * feature.size[second]).astype(np.float64)
        return _ratio(common, np.sqrt(product))

    def _gap(self, first: IntArray, second: IntArray) -> FloatArray:
        seniority = np.asarray([p[0] for p in self.profiles], dtype=np.int64)[self.profile]
        generations = _Vocabulary()
        generation = np.asarray(
            [-1 if p[1] is None else generations.code(p[1]) for p in self.profiles], dtype=np.int64
        )[self.profile]
        grade = np.minimum(1.0, np.abs(seniority[first] - seniority[second]) / self.settings.ideal_seniority_gap)
        ga, gb = generation[first], generation[second]
        return np.asarray(np.maximum(grade, ((ga >= 0) & (gb >= 0) & (ga != gb)).astype(np.float64)), dtype=np.float64)

    # ----------------------------------------------------------------------------- bilinear form

    def embedding(self) -> Embedding:
        """Features ``x`` (first side: mentors in reverse programs) and ``z`` with x_i · z_j ≈ score."""
        settings = self.settings
        w = dict(zip(FACTOR_NAMES, settings.weights.as_tuple(), strict=True))
        n = self.n
        ones = np.ones(n, dtype=np.float64)
        firsts: list[sp.csr_matrix] = []
        seconds: list[sp.csr_matrix] = []

        def add(x: sp.csr_matrix, z: sp.csr_matrix) -> None:
            firsts.append(sp.csr_matrix(x))
            seconds.append(sp.csr_matrix(z))

        inverse_wanted = _ratio(ones.astype(np.int64), self.wanted.size.astype(np.float64))
        if w["skills"] > 0:
            if settings.kind == "reverse":
                add(self.offered.incidence(ones * w["skills"]), self.wanted.incidence(inverse_wanted))
            else:
                half = w["skills"] / 2
                add(self.offered.incidence(ones * half), self.wanted.incidence(inverse_wanted))
                add(self.wanted.incidence(inverse_wanted * half), self.offered.incidence(ones))
        for name, feature in (
            ("interests", self.interests),
            ("meeting_modes", self.modes),
            ("availability", self.slots),
        ):
            if w[name] > 0:
                norm = _ratio(ones.astype(np.int64), np.sqrt(feature.size.astype(np.float64)))
                add(feature.incidence(norm * w[name]), feature.incidence(norm))
        if w["department"] > 0 and settings.department_preference != "none" and self.n_departments:
            one_hot = _one_hot(self.department, self.n_departments)
            if settings.department_preference == "same":
                add(one_hot * w["department"], one_hot)
            else:
                known = (self.department >= 0).astype(np.float64)
                other = sp.csr_matrix(known[:, None] * w["department"] - one_hot.toarray() * w["department"])
                add(other, one_hot)
        if w["location"] > 0 and self.n_locations:
            where = np.where(self.in_person, self.location, -1)
            one_hot = _one_hot(where, self.n_locations)
            add(one_hot * w["location"], one_hot)
        for name, table, category in (
            ("seniority_gap", self.gap_table, self.profile),
            ("diversity", self.diversity_table, self.consent),
        ):
            if w[name] <= 0:
                continue
            if table is None:
                # Too many categories for a table: a constant upper bound keeps every bound sound.
                add(sp.csr_matrix(ones[:, None] * w[name]), sp.csr_matrix(ones[:, None]))
            else:
                add(sp.csr_matrix(table[category] * w[name]), _one_hot(category, table.shape[0]))
        x_all = sp.hstack(firsts, format="csc") if firsts else sp.csc_matrix((n, 1))
        z_all = sp.hstack(seconds, format="csc") if seconds else sp.csc_matrix((n, 1))
        # Columns whose pairs are many go to the dense matrix product; the rest stay sparse.
        work = np.diff(x_all.indptr).astype(np.float64) * np.diff(z_all.indptr).astype(np.float64)
        order = np.argsort(-work, kind="stable")
        left = np.cumsum(work[order][::-1])[::-1]  # work of columns from this one onwards
        allowance = _DENSE_SHARE * float(n) * float(n)
        n_dense = int(np.searchsorted(-left, -allowance, side="left")) if work.size else 0
        n_dense = min(work.size, n_dense)
        dense, rest = np.sort(order[:n_dense]), np.sort(order[n_dense:])
        # Two extra columns carry prices (see Embedding.set_prices); pad to a multiple of 8 for SIMD.
        width = -(-(dense.size + 2) // 8) * 8
        dense_first = np.zeros((n, width), dtype=np.float32)
        dense_second = np.zeros((n, width), dtype=np.float32)
        dense_first[:, : dense.size] = x_all[:, dense].toarray()
        dense_second[:, : dense.size] = z_all[:, dense].toarray()
        sparse_first = sp.csr_matrix(x_all[:, rest], dtype=np.float32)
        sparse_second_t = sp.csc_matrix(z_all[:, rest].T, dtype=np.float32)
        # Every feature is ≥ 0, so no pair scores above Σ_k max_i x_ik · max_j z_jk (per column k).
        ceiling = float(
            np.asarray(x_all.max(axis=0).todense()).ravel() @ np.asarray(z_all.max(axis=0).todense()).ravel()
        )
        return Embedding(
            dense_first,
            dense_second,
            sparse_first,
            sparse_second_t,
            terms=int(x_all.shape[1]) + 2,
            best_score=min(settings.weights.total(), ceiling) if ceiling > 0 else 0.0,
        )


def _table(keys: Sequence[Category], value: Callable[[Category, Category], float]) -> FloatArray | None:
    """Factor value for every pair of categories, computed by the scalar function itself (so the
    vectorised scores are bit-identical); ``None`` when there are too many categories."""
    if len(keys) > _MAX_TABLE:
        return None
    table = np.zeros((len(keys), len(keys)), dtype=np.float64)
    for i, a in enumerate(keys):
        for j, b in enumerate(keys):
            table[i, j] = value(a, b)
    return table


def _one_hot(codes: IntArray, size: int) -> sp.csr_matrix:
    rows = np.flatnonzero(codes >= 0)
    return sp.csr_matrix((np.ones(rows.size, dtype=np.float64), (rows, codes[rows])), shape=(codes.size, max(1, size)))
