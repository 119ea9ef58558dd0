"""What a matching run reads and what it proposes: plain frozen values, no behaviour but validation.

Services build ``Candidate`` values from ready enrollments and people; the engine never sees the
database. Every invalid setting raises a ``DomainError`` of kind ``invalid`` with a stable code.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Final, Literal
from uuid import UUID

from app.domain.errors import invalid

Role = Literal["mentor", "mentee", "both"]
ProgramKind = Literal["reverse", "reciprocal"]
DepartmentPreference = Literal["cross", "same", "none"]
UnmatchedReason = Literal["no_allowed_partner", "at_capacity", "not_selected", "odd_one_out", "not_solved"]

MEETING_MODES: Final = frozenset({"in_person", "video", "chat", "forum"})

# The order in which factors are summed. Scalar and vectorised scoring add contributions in this
# exact order so that both give bit-identical floats.
FACTOR_NAMES: Final = (
    "skills",
    "interests",
    "department",
    "location",
    "seniority_gap",
    "meeting_modes",
    "availability",
    "diversity",
)

# Stable reason codes for a pair that may never be proposed (``pair_violations``).
SAME_PERSON: Final = "same_person"
ROLE_MISMATCH: Final = "role_mismatch"
SENIORITY_GAP: Final = "seniority_gap"
REPORTING_LINE: Final = "reporting_line"
SAME_MANAGER: Final = "same_manager"
EXCLUDED_PAIR: Final = "excluded_pair"
FORBIDDEN_PAIR: Final = "forbidden_pair"
# Not pair rules but reasons a possible partner is unavailable in a run (see ``Unmatched``).
ALREADY_PAIRED: Final = "already_paired"
PARTNER_AT_CAPACITY: Final = "partner_at_capacity"
VIOLATION_CODES: Final = (
    SAME_PERSON,
    ROLE_MISMATCH,
    SENIORITY_GAP,
    REPORTING_LINE,
    SAME_MANAGER,
    EXCLUDED_PAIR,
    FORBIDDEN_PAIR,
)
BLOCK_CODES: Final = (*VIOLATION_CODES, ALREADY_PAIRED, PARTNER_AT_CAPACITY)


@dataclass(frozen=True)
class Candidate:
    """One ready enrollment as the matching engine sees it.

    - ``role``: reverse programs pair a ``mentor`` (the junior who teaches) with a ``mentee`` (the
      senior who learns); reciprocal programs ignore roles (everyone plays both).
    - ``manager_chain``: person ids of the manager, the manager's manager, … nearest first; at least
      as deep as the program's ``reporting_line_depth``.
    - ``consented_attributes``: only the attributes the person consented to use for matching.
    - ``remaining_capacity``: how many more partners this person may get in the program (0 = full).
    """

    enrollment_id: UUID
    person_id: UUID
    role: Role
    department: str | None = None
    location: str | None = None
    seniority: int = 0
    generation: str | None = None
    manager_chain: tuple[UUID, ...] = ()
    skills_offered: frozenset[str] = frozenset()
    skills_wanted: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    meeting_modes: frozenset[str] = frozenset()
    availability: frozenset[str] = frozenset()
    consented_attributes: Mapping[str, str] = field(default_factory=dict)
    remaining_capacity: int = 1


@dataclass(frozen=True)
class Weights:
    """Per-program weights of the soft preferences; each factor contributes between 0 and its weight.

    - every weight is a finite number ≥ 0, and at least one is > 0.
    """

    skills: float = 3.0
    interests: float = 1.0
    department: float = 1.0
    location: float = 0.5
    seniority_gap: float = 1.0
    meeting_modes: float = 0.5
    availability: float = 1.0
    diversity: float = 0.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
                raise invalid(
                    "invalid_matching_weight",
                    f"The weight of {f.name} must be a finite number ≥ 0, not {value!r}.",
                    path=f"weights.{f.name}",
                )
        if self.total() <= 0:
            raise invalid("matching_weights_all_zero", "At least one matching weight must be > 0.", path="weights")

    def of(self, name: str) -> float:
        """The weight of the factor called ``name`` (one of ``FACTOR_NAMES``)."""
        return float(getattr(self, name))

    def as_tuple(self) -> tuple[float, ...]:
        """The weights in ``FACTOR_NAMES`` order (computed once: every explained pair asks for it)."""
        cached: tuple[float, ...] | None = self.__dict__.get("_as_tuple")
        if cached is None:
            cached = tuple(self.of(name) for name in FACTOR_NAMES)
            object.__setattr__(self, "_as_tuple", cached)
        return cached

    def total(self) -> float:
        """The highest score any pair could reach."""
        return float(sum(self.as_tuple()))


@dataclass(frozen=True)
class MatchingSettings:
    """A program's matching rules.

    - ``kind``: ``reverse`` (two-sided, mentor junior to mentee) or ``reciprocal`` (one pool).
    - ``department_preference``: score pairs across departments (``cross``), inside one (``same``) or
      ignore departments (``none``).
    - ``reporting_line_depth`` ≥ 1: a person is never paired with anyone up to this many levels above
      or below them in the reporting tree.
    - ``exclude_same_manager_peers``: also never pair two people who share their direct manager.
    - ``min_seniority_gap`` ≥ 0 (reverse only): ``mentor.seniority + gap <= mentee.seniority``.
    - ``ideal_seniority_gap`` ≥ 1: a grade gap this large (or a different generation) earns the full
      seniority-gap weight; smaller gaps earn proportionally less.
    - ``top_k`` between 1 and 1000: how many best partners per person the sparse candidate graph keeps.
    - ``time_limit_seconds`` in (0, 3600]: budget of a run. The scan of all pairs always completes;
      the solver only starts if its estimated time still fits (else greedy pairing on the candidate
      graph), and later steps that no longer fit are skipped. Every fallback keeps the upper bound
      valid and is reported in ``MatchingResult.notes``. A run in its own process is also stopped
      at the limit and keeps its best result so far.
    """

    kind: ProgramKind
    weights: Weights = field(default_factory=Weights)
    department_preference: DepartmentPreference = "cross"
    reporting_line_depth: int = 2
    exclude_same_manager_peers: bool = False
    min_seniority_gap: int = 1
    ideal_seniority_gap: int = 3
    top_k: int = 24
    time_limit_seconds: float = 60.0

    def __post_init__(self) -> None:
        if self.kind not in ("reverse", "reciprocal"):
            raise invalid("invalid_program_kind", f"Unknown program kind {self.kind!r}.", path="kind")
        if self.department_preference not in ("cross", "same", "none"):
            raise invalid(
                "invalid_department_preference",
                "The department preference must be cross, same or none.",
                path="department_preference",
            )
        _check_int(self.reporting_line_depth, "reporting_line_depth", 1, 50, "invalid_reporting_line_depth")
        _check_int(self.min_seniority_gap, "min_seniority_gap", 0, 1000, "invalid_min_seniority_gap")
        _check_int(self.ideal_seniority_gap, "ideal_seniority_gap", 1, 1000, "invalid_ideal_seniority_gap")
        _check_int(self.top_k, "top_k", 1, 1000, "invalid_top_k")
        limit = self.time_limit_seconds
        if not isinstance(limit, int | float) or not math.isfinite(limit) or not 0 < limit <= 3600:
            raise invalid(
                "invalid_time_limit",
                "The matching time limit must be more than 0 and at most 3600 seconds.",
                path="time_limit_seconds",
            )


def _check_int(value: object, name: str, low: int, high: int, code: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise invalid(code, f"{name} must be an integer from {low} to {high}.", path=name)


@dataclass(frozen=True)
class Factor:
    """One soft preference that raised a pair's score: its name, its contribution, why."""

    name: str
    contribution: float
    detail: str


@dataclass(frozen=True)
class PairScore:
    """A pair's score, the factors that scored (> 0, highest first) and a one-line summary."""

    score: float
    factors: tuple[Factor, ...]
    summary: str


@dataclass(frozen=True)
class ProposedPair:
    """A proposed pair. In reverse programs the first member is the mentor."""

    enrollment_ids: tuple[UUID, UUID]
    person_ids: tuple[UUID, UUID]
    mentor_enrollment_id: UUID | None
    score: float
    factors: tuple[Factor, ...]
    summary: str
    pinned: bool = False


@dataclass(frozen=True)
class Unmatched:
    """Someone the run did not pair, with an honest reason.

    - ``no_allowed_partner``: every possible partner is blocked by a hard constraint (detail names the
      constraint that blocks most of them);
    - ``at_capacity``: the person cannot take another partner in this program;
    - ``not_selected``: allowed partners existed but the best total used them elsewhere;
    - ``odd_one_out``: reciprocal pool with an odd number of pairable people;
    - ``not_solved``: the time limit ended the run before any pairing existed.
    """

    enrollment_id: UUID
    person_id: UUID
    reason: UnmatchedReason
    detail: str


@dataclass(frozen=True)
class MatchingResult:
    """The outcome of a run.

    - ``total_score``: sum of the pairs' scores (pinned pairs included);
    - ``upper_bound``: a proven upper bound of the best total any set of allowed pairs could reach
      (with the pins in place), computed over the full graph of allowed pairs, not only candidates;
      pinned pairs count with their own scores;
    - ``quality``: ``total_score / upper_bound`` (1.0 when the bound is 0): a lower bound on how close
      to optimal the result is;
    - ``seconds``: wall time of the run (excluding the optional greedy baseline);
    - ``solver``: which algorithm produced the pairs; ``notes``: anything a coordinator should know
      (e.g. a fallback after the time limit);
    - ``greedy_total``: when asked for, what sort-by-score greedy pairing reaches on the same
      candidate graph (a baseline; ``greedy_total / upper_bound`` is its quality);
    - ``proven_optimal``: the total is the proven optimum (then ``upper_bound == total_score``);
    - ``stopped_by_deadline``: the solve was stopped at its time limit and this is the best result
      found by then, with the best bound known by then.
    """

    pairs: list[ProposedPair]
    unmatched: list[Unmatched]
    total_score: float
    upper_bound: float
    quality: float
    seconds: float
    solver: str
    notes: tuple[str, ...] = ()
    greedy_total: float | None = None
    proven_optimal: bool = False
    stopped_by_deadline: bool = False
