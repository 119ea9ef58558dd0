"""The matching engine: pure domain code (stdlib, numpy, scipy), no framework.

Public API:

- ``solve(candidates, settings, *, exclusions, pins, forbids, progress, with_greedy_baseline)``
  → ``MatchingResult``: the best set of pairs the hard constraints allow, with reasons and a bound;
- ``pair_violations(a, b, settings, exclusions, *, forbids)`` → reason codes, for manual pairing;
- ``score_pair(a, b, settings)`` → ``PairScore``: score, scoring factors and a summary;
- the input and output values of ``model``.
"""

from app.domain.matching.constraints import pair_violations
from app.domain.matching.engine import solve
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
from app.domain.matching.scoring import score_pair

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
