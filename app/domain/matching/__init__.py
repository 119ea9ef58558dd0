"""The matching engine: pure domain code (stdlib, numpy, scipy, OR-Tools), no framework.

Public API:

- ``solve(candidates, settings, *, exclusions, pins, forbids, progress, with_greedy_baseline)``
  → ``MatchingResult``: the best set of pairs the hard constraints allow, with reasons and a bound;
- ``pair_violations(a, b, settings, exclusions, *, forbids)`` → reason codes, for manual pairing;
- ``score_pair(a, b, settings)`` → ``PairScore``: score, scoring factors and a summary;
- the input and output values of ``model``.
"""

from typing import TYPE_CHECKING, Any

from app.domain.matching.model import (
    BLOCK_CODES,
    FACTOR_NAMES,
    VIOLATION_CODES,
    Candidate,
    DepartmentPreference,
    Factor,
    MatchingResult,
    MatchingSettings,
    PairScore,
    ProgramKind,
    ProposedPair,
    Role,
    Unmatched,
    UnmatchedReason,
    Weights,
)
from app.domain.matching.pair_rules import pair_violations
from app.domain.matching.scoring import score_pair

if TYPE_CHECKING:
    from app.domain.matching.engine import solve

# ``solve`` pulls in NumPy, SciPy and OR-Tools (about 65 MB and a second of start-up): it is imported
# on first use, so that a server or worker that never solves never holds them (PEP 562 module
# ``__getattr__``). The values, ``pair_violations`` and ``score_pair`` are plain Python.
_LAZY = {
    "solve": "app.domain.matching.engine",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "BLOCK_CODES",
    "FACTOR_NAMES",
    "VIOLATION_CODES",
    "Candidate",
    "DepartmentPreference",
    "Factor",
    "MatchingResult",
    "MatchingSettings",
    "PairScore",
    "ProgramKind",
    "ProposedPair",
    "Role",
    "Unmatched",
    "UnmatchedReason",
    "Weights",
    "pair_violations",
    "score_pair",
    "solve",
]
