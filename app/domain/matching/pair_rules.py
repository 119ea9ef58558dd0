"""The hard constraints for one pair, in plain Python (no NumPy): what a coordinator's manual pair is
checked with, and the definition the pool-wide checks of ``constraints`` apply to every pair at once.
"""

from __future__ import annotations

from uuid import UUID

from app.domain.matching.model import (
    EXCLUDED_PAIR,
    FORBIDDEN_PAIR,
    REPORTING_LINE,
    ROLE_MISMATCH,
    SAME_MANAGER,
    SAME_PERSON,
    SENIORITY_GAP,
    Candidate,
    MatchingSettings,
)


def pair_violations(
    a: Candidate,
    b: Candidate,
    settings: MatchingSettings,
    exclusions: frozenset[frozenset[UUID]] = frozenset(),
    *,
    forbids: frozenset[frozenset[UUID]] = frozenset(),
) -> list[str]:
    """Every hard constraint the pair ``a``–``b`` breaks, as stable codes in a fixed order.

    An empty list means the pair is allowed (capacity aside). Codes: ``same_person``,
    ``role_mismatch``, ``seniority_gap``, ``reporting_line``, ``same_manager``, ``excluded_pair``,
    ``forbidden_pair``. Coordinators' manual pairs are checked with this same function.
    """
    found: list[str] = []
    if a.person_id == b.person_id:
        found.append(SAME_PERSON)
    if settings.kind == "reverse":
        if {a.role, b.role} != {"mentor", "mentee"}:
            found.append(ROLE_MISMATCH)
        else:
            mentor, mentee = (a, b) if a.role == "mentor" else (b, a)
            if mentor.seniority + settings.min_seniority_gap > mentee.seniority:
                found.append(SENIORITY_GAP)
    if in_reporting_line(a, b, settings.reporting_line_depth):
        found.append(REPORTING_LINE)
    if settings.exclude_same_manager_peers and same_direct_manager(a, b):
        found.append(SAME_MANAGER)
    if frozenset((a.person_id, b.person_id)) in exclusions:
        found.append(EXCLUDED_PAIR)
    if frozenset((a.enrollment_id, b.enrollment_id)) in forbids:
        found.append(FORBIDDEN_PAIR)
    return found


def in_reporting_line(a: Candidate, b: Candidate, depth: int) -> bool:
    """True when one of the two is within ``depth`` levels above the other in the reporting tree."""
    return a.person_id in b.manager_chain[:depth] or b.person_id in a.manager_chain[:depth]


def same_direct_manager(a: Candidate, b: Candidate) -> bool:
    """True when both have a known direct manager and it is the same person."""
    return bool(a.manager_chain) and bool(b.manager_chain) and a.manager_chain[0] == b.manager_chain[0]
