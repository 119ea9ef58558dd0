"""How much two people would gain from each other: soft preferences, weighted per program.

Each factor has a value in [0, 1] and contributes ``weight × value``; a pair's score is the sum of
the contributions, so it lies between 0 and ``Weights.total()``. The factors:

- ``skills``: share of what the learner wants that the partner offers. Reverse: the mentor's offered
  skills against the mentee's wanted skills only. Reciprocal: the mean of both directions.
- ``interests``: shared interests, ``|A ∩ B| / sqrt(|A| |B|)``.
- ``department``: 1 when both departments are known and differ (preference ``cross``) or are equal
  (``same``); always 0 for ``none``.
- ``location``: 1 when both accept meeting in person and work in the same known location.
- ``seniority_gap``: ``min(1, |grade gap| / ideal gap)``, or 1 when both generations are known and
  differ.
- ``meeting_modes`` and ``availability``: overlap ``|A ∩ B| / sqrt(|A| |B|)``; no overlap at all is
  allowed and scores 0.
- ``diversity``: among the attributes both people consented to share, the share on which they
  differ; 0 when they have no consented attribute in common.

The vectorised scorer in ``features`` computes the same values with the same float operations in the
same order, so the score of a proposed pair is bit-identical to the score the solver optimised.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from app.domain.matching.model import (
    FACTOR_NAMES,
    Candidate,
    DepartmentPreference,
    Factor,
    MatchingSettings,
    PairScore,
)

_LISTED = 4  # items named in a detail before "and N more"


def coverage(offered: frozenset[str], wanted: frozenset[str]) -> float:
    """Share of ``wanted`` that ``offered`` covers (0 when nothing is wanted)."""
    if not wanted:
        return 0.0
    return len(offered & wanted) / len(wanted)


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Cosine overlap of two sets: 1 for equal non-empty sets, 0 when disjoint or one is empty."""
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def department_value(a: str | None, b: str | None, preference: DepartmentPreference) -> float:
    """1 when the pair matches the program's department preference, else 0 (unknown never scores)."""
    if preference == "none" or a is None or b is None:
        return 0.0
    if preference == "cross":
        return 1.0 if a != b else 0.0
    return 1.0 if a == b else 0.0


def location_value(a: Candidate, b: Candidate) -> float:
    """1 when both accept in-person meetings and share a known location."""
    if "in_person" not in a.meeting_modes or "in_person" not in b.meeting_modes:
        return 0.0
    if a.location is None or b.location is None:
        return 0.0
    return 1.0 if a.location == b.location else 0.0


def gap_value(
    seniority_a: int, generation_a: str | None, seniority_b: int, generation_b: str | None, ideal: int
) -> float:
    """Grade gap relative to the ideal gap (capped at 1), or 1 for different known generations."""
    grade = min(1.0, abs(seniority_a - seniority_b) / ideal)
    generations = 1.0 if generation_a is not None and generation_b is not None and generation_a != generation_b else 0.0
    return max(grade, generations)


def diversity_value(a: Mapping[str, str], b: Mapping[str, str]) -> float:
    """Share of the attributes both consented to on which the two differ (0 with none in common)."""
    common = a.keys() & b.keys()
    if not common:
        return 0.0
    differ = sum(1 for key in common if a[key] != b[key])
    return differ / len(common)


def orient(a: Candidate, b: Candidate, settings: MatchingSettings) -> tuple[Candidate, Candidate]:
    """Reverse programs: put the mentor first. Reciprocal: keep the order."""
    if settings.kind == "reverse" and a.role == "mentee" and b.role != "mentee":
        return b, a
    return a, b


def factor_values(first: Candidate, second: Candidate, settings: MatchingSettings) -> tuple[float, ...]:
    """The value in [0, 1] of every factor, in ``FACTOR_NAMES`` order (reverse: mentor first)."""
    if settings.kind == "reverse":
        skills = coverage(first.skills_offered, second.skills_wanted)
    else:
        skills = (
            coverage(first.skills_offered, second.skills_wanted) + coverage(second.skills_offered, first.skills_wanted)
        ) / 2
    return (
        skills,
        overlap(first.interests, second.interests),
        department_value(first.department, second.department, settings.department_preference),
        location_value(first, second),
        gap_value(first.seniority, first.generation, second.seniority, second.generation, settings.ideal_seniority_gap),
        overlap(first.meeting_modes, second.meeting_modes),
        overlap(first.availability, second.availability),
        diversity_value(first.consented_attributes, second.consented_attributes),
    )


def score_pair(a: Candidate, b: Candidate, settings: MatchingSettings) -> PairScore:
    """Score a pair and explain it.

    - reverse programs score the mentor's offer against the mentee's wants, whichever order is given;
    - ``factors`` lists exactly the factors with a contribution > 0, highest first (ties by name);
    - the contributions add up to ``score``.
    """
    first, second = orient(a, b, settings)
    values = factor_values(first, second, settings)
    weights = settings.weights.as_tuple()
    score = 0.0
    scored: list[Factor] = []
    for name, weight, value in zip(FACTOR_NAMES, weights, values, strict=True):
        contribution = weight * value
        score += contribution
        if contribution > 0:
            scored.append(Factor(name, contribution, _detail(name, first, second, settings)))
    scored.sort(key=lambda factor: (-factor.contribution, factor.name))
    return PairScore(score=score, factors=tuple(scored), summary=_summary(score, scored, settings))


def _summary(score: float, factors: list[Factor], settings: MatchingSettings) -> str:
    best = settings.weights.total()
    if not factors:
        return f"Score 0 of {best:.2f}: no soft preference scored for this pair."
    reasons = "; ".join(factor.detail for factor in factors[:3])
    more = f" (+{len(factors) - 3} more)" if len(factors) > 3 else ""
    return f"Score {score:.2f} of {best:.2f}: {reasons}{more}."


def _names(items: frozenset[str]) -> str:
    ordered = sorted(items)
    shown = ", ".join(ordered[:_LISTED])
    return shown if len(ordered) <= _LISTED else f"{shown} and {len(ordered) - _LISTED} more"


def _detail(name: str, first: Candidate, second: Candidate, settings: MatchingSettings) -> str:
    if name == "skills":
        forward = first.skills_offered & second.skills_wanted
        if settings.kind == "reverse":
            return f"covers {_names(forward)} for the mentee"
        backward = second.skills_offered & first.skills_wanted
        parts = []
        if forward:
            parts.append(f"the first covers {_names(forward)} for the second")
        if backward:
            parts.append(f"the second covers {_names(backward)} for the first")
        return "; ".join(parts)
    if name == "interests":
        return f"shares interests: {_names(first.interests & second.interests)}"
    if name == "department":
        if settings.department_preference == "cross":
            return f"crosses departments ({first.department} and {second.department})"
        return f"same department ({first.department})"
    if name == "location":
        return f"both in {first.location} and open to meeting in person"
    if name == "seniority_gap":
        gap = abs(first.seniority - second.seniority)
        text = f"seniority gap of {gap} grade{'s' if gap != 1 else ''}"
        if first.generation is not None and second.generation is not None and first.generation != second.generation:
            text += f", generations {first.generation} and {second.generation}"
        return text
    if name == "meeting_modes":
        return f"both meet by {_names(first.meeting_modes & second.meeting_modes)}"
    if name == "availability":
        common = first.availability & second.availability
        return f"{len(common)} common slot{'s' if len(common) != 1 else ''}: {_names(common)}"
    # diversity: name no attribute and no value; the coordinator only learns that they differ.
    shared = first.consented_attributes.keys() & second.consented_attributes.keys()
    differ = sum(1 for key in shared if first.consented_attributes[key] != second.consented_attributes[key])
    return f"different on {differ} of {len(shared)} attributes both chose to share"
