"""Programs: a reverse or reciprocal mentoring program and its lifecycle.

Rules:
- a program is proposed as a ``draft``: its creator is its first coordinator unless others are
  named, and its role-turn policy defaults by kind (reverse: ``fixed``, the junior mentor always
  leads; reciprocal: ``alternate(1)``, the pair switches at every meeting);
- the lifecycle is ``draft → enrolling → matching → active → evaluating → closed``; only the moves in
  :data:`TRANSITIONS` are legal (enrolment may be reopened from ``matching``; a proposal may be
  abandoned, i.e. closed, before it goes live);
- while a program is a ``draft`` employees may comment on the proposal and its advisory committee
  members review it ("don't announce it as a done deal"); coordinators invite people to apply
  while it is a draft or enrolling;
- a program is proposed by someone in the directory (``program_creator_not_in_directory``): the
  proposer is recorded and becomes its first coordinator when none is named, so no program is ever
  left without someone who may edit it;
- leaving ``draft`` needs at least one coordinator and cycle dates in the right order;
- coordinators and committee members are each named once (``person_named_twice``);
- the cycle end date is after its start; cadence (:data:`CADENCE_DAYS`), pilot capacity
  (:data:`PILOT_CAPACITY`), relationships per person (:data:`RELATIONSHIPS_PER_PERSON`) and
  objective targets (:data:`OBJECTIVE_TARGET`) stay within their bounds; a target in percent
  (``%`` or ``percent``) is at most 100;
- objectives keep their ids when a program is edited; an edit names an existing objective by its
  id (``objective_unknown`` otherwise) and objectives left out are removed;
- structural settings freeze once the program is active.

By concept: ``kinds`` (kinds, statuses, focus areas, the lifecycle's moves), ``settings`` (bounds,
objectives, drafts and edits) and ``aggregate`` (the ``Program`` aggregate and its rules); every
name is re-exported here.
"""

from __future__ import annotations

from app.domain.programs.aggregate import Program, first_coordinators, proposer_of
from app.domain.programs.kinds import DEFAULT_TURN_POLICY, TRANSITIONS, FocusArea, ProgramKind, ProgramStatus
from app.domain.programs.settings import (
    CADENCE_DAYS,
    OBJECTIVE_TARGET,
    PERCENT_UNITS,
    PILOT_CAPACITY,
    RELATIONSHIPS_PER_PERSON,
    Objective,
    ObjectiveDraft,
    ProgramChanges,
    ProgramDraft,
    objectives_from,
)

__all__ = [
    "CADENCE_DAYS",
    "DEFAULT_TURN_POLICY",
    "OBJECTIVE_TARGET",
    "PERCENT_UNITS",
    "PILOT_CAPACITY",
    "RELATIONSHIPS_PER_PERSON",
    "TRANSITIONS",
    "FocusArea",
    "Objective",
    "ObjectiveDraft",
    "Program",
    "ProgramChanges",
    "ProgramDraft",
    "ProgramKind",
    "ProgramStatus",
    "first_coordinators",
    "objectives_from",
    "proposer_of",
]
