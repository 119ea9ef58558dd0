"""What a program is and where it stands: kinds, statuses, focus areas and the legal moves of its lifecycle."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class ProgramKind(StrEnum):
    REVERSE = "reverse"
    RECIPROCAL = "reciprocal"


class ProgramStatus(StrEnum):
    DRAFT = "draft"
    ENROLLING = "enrolling"
    MATCHING = "matching"
    ACTIVE = "active"
    EVALUATING = "evaluating"
    CLOSED = "closed"


class FocusArea(StrEnum):
    TECHNOLOGY = "technology"
    INTERGENERATIONAL = "intergenerational_understanding"
    RETENTION = "retention"
    DIVERSITY_INCLUSION = "diversity_inclusion"
    CULTURE = "culture"
    CUSTOM = "custom"


TRANSITIONS: Mapping[ProgramStatus, frozenset[ProgramStatus]] = {
    ProgramStatus.DRAFT: frozenset({ProgramStatus.ENROLLING, ProgramStatus.CLOSED}),
    ProgramStatus.ENROLLING: frozenset({ProgramStatus.MATCHING, ProgramStatus.CLOSED}),
    ProgramStatus.MATCHING: frozenset({ProgramStatus.ENROLLING, ProgramStatus.ACTIVE, ProgramStatus.CLOSED}),
    ProgramStatus.ACTIVE: frozenset({ProgramStatus.EVALUATING}),
    ProgramStatus.EVALUATING: frozenset({ProgramStatus.CLOSED}),
    ProgramStatus.CLOSED: frozenset(),
}
DEFAULT_TURN_POLICY: Mapping[ProgramKind, str] = {ProgramKind.REVERSE: "fixed", ProgramKind.RECIPROCAL: "alternate(1)"}
