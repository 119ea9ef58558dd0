"""Programs: proposing, editing, moving along the lifecycle, and the draft's open discussion."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

import strawberry
from strawberry.types.unset import UNSET

from app.domain import programs as domain
from app.domain import proposals
from app.graphql.checks import Checks, camel, given
from app.graphql.context import Info
from app.graphql.described import rules_of
from app.graphql.enums import DepartmentPreference, FocusArea, ProgramKind, ProgramStatus, ReviewVerdict
from app.graphql.results import CommentResult, InvitationResult, ProgramResult, ReviewResult, mutate
from app.graphql.types.base import build
from app.graphql.types.base import enum as to_enum
from app.graphql.types.programs import CommitteeReview, Invitation, Program, ProposalComment
from app.services import programs as service


@strawberry.input(description="How much each factor may add to a pair's score (0–100; 0 switches it off).")
class MatchingWeightsInput:
    skills: float = 3.0
    interests: float = 1.0
    department: float = 1.0
    location: float = 0.5
    seniority_gap: float = 1.0
    meeting_modes: float = 0.5
    availability: float = 1.0
    diversity: float = strawberry.field(default=0.0, description="Uses self-identified attributes, only with consent.")


@strawberry.input(description="How this program matches people.")
class MatchingRulesInput:
    weights: MatchingWeightsInput = strawberry.field(default_factory=MatchingWeightsInput)
    department_preference: DepartmentPreference = DepartmentPreference.CROSS
    reporting_line_depth: int = 2
    exclude_same_manager_peers: bool = False
    min_seniority_gap: int = strawberry.field(
        default=1, description="Reverse programs: mentor's grade + gap ≤ mentee's."
    )

    def checked(self, checks: Checks, name: str) -> dict[str, Any]:
        weights = {
            key: checks.number(f"{name}.weights.{key}", value, low=0, high=100)
            for key, value in vars(self.weights).items()
        }
        return {
            "weights": weights,
            "department_preference": self.department_preference.value,
            "reporting_line_depth": checks.number(
                f"{name}.reportingLineDepth", self.reporting_line_depth, low=1, high=10
            ),
            "exclude_same_manager_peers": self.exclude_same_manager_peers,
            "min_seniority_gap": checks.number(f"{name}.minSeniorityGap", self.min_seniority_gap, low=0, high=50),
        }


@strawberry.input
class ObjectiveInput:
    id: UUID | None = strawberry.field(default=None, description="Keep an existing objective's id when editing.")
    metric: str
    target: float
    unit: str
    description: str | None = None

    def checked(self, checks: Checks, name: str) -> domain.ObjectiveDraft:
        return domain.ObjectiveDraft(
            id=self.id,
            metric=checks.text(f"{name}.metric", self.metric, min_length=1, max_length=300),
            target=checks.number(f"{name}.target", self.target, low=0),
            unit=checks.text(f"{name}.unit", self.unit, min_length=1, max_length=40),
            description=checks.optional_text(f"{name}.description", self.description, max_length=2000),
        )


def _objectives(checks: Checks, items: list[ObjectiveInput]) -> list[domain.ObjectiveDraft]:
    checks.items("objectives", items, max_items=20)
    return [o.checked(checks, f"objectives[{i}]") for i, o in enumerate(items)]


def _settings(checks: Checks, values: dict[str, Any], source: Any) -> None:
    """The fields shared by a new program and an edit, for those present in ``source``."""
    simple: dict[str, Callable[[Any], Any]] = {
        "description": lambda v: checks.text("description", v, max_length=10000),
        "focus_areas": lambda v: [domain.FocusArea(f.value) for f in checks.items("focusAreas", v, max_items=10)],
        "objectives": lambda v: _objectives(checks, v),
        "cycle_start": lambda v: v,
        "cycle_end": lambda v: v,
        "cadence_days": lambda v: checks.number("cadenceDays", v, low=1, high=365),
        "checkin_after_meeting": lambda v: v,  # bounds: the domain's (same code as REST)
        "checkin_every_days": lambda v: v,
        "role_turn_policy": lambda v: checks.turn_policy("roleTurnPolicy", v),
        "training_required": lambda v: v,
        "matching_rules": lambda v: v.checked(checks, "matchingRules"),
        "pilot_capacity": lambda v: checks.number("pilotCapacity", v, low=2, high=100000),
        "max_relationships_per_person": lambda v: checks.number("maxRelationshipsPerPerson", v, low=1, high=10),
        "guidelines": lambda v: checks.text("guidelines", v, max_length=20000),
        "incentives": lambda v: checks.texts("incentives", v, max_items=20, max_length=300),
        "coordinator_ids": lambda v: checks.items("coordinatorIds", v, max_items=20),
        "committee_member_ids": lambda v: checks.items("committeeMemberIds", v, max_items=50),
    }
    for name, check in simple.items():
        value = getattr(source, name)
        if not given(value):
            continue
        values[name] = None if value is None else check(value)


@strawberry.input(description="A new program: a draft, open for comment until it starts enrolling.")
class ProgramInput:
    kind: ProgramKind
    name: str
    description: str = ""
    focus_areas: list[FocusArea] = strawberry.field(default_factory=list)
    objectives: list[ObjectiveInput] = strawberry.field(default_factory=list)
    cycle_start: date | None = None
    cycle_end: date | None = None
    cadence_days: int = strawberry.field(default=14, description="Days between meetings (1–365).")
    checkin_after_meeting: int = strawberry.field(default=3, description="Check-ins follow meeting N (1–50).")
    checkin_every_days: int = strawberry.field(default=60, description="Then every D days (7–365).")
    role_turn_policy: str | None = strawberry.field(
        default=None, description="`fixed`, `alternate(N)`, `senior_first(K)` or `primary_with_exchange`."
    )
    training_required: bool = False
    matching_rules: MatchingRulesInput = strawberry.field(default_factory=MatchingRulesInput)
    pilot_capacity: int | None = None
    max_relationships_per_person: int = 1
    guidelines: str = ""
    incentives: list[str] = strawberry.field(default_factory=list)
    coordinator_ids: list[UUID] = strawberry.field(default_factory=list)
    committee_member_ids: list[UUID] = strawberry.field(default_factory=list)

    def draft(self) -> domain.ProgramDraft:
        checks = Checks()
        values: dict[str, Any] = {"name": checks.text("name", self.name, min_length=1, max_length=200)}
        _settings(checks, values, self)
        checks.done()
        return domain.ProgramDraft(**values)


@strawberry.input(
    description="Only the fields sent change; lists replace the whole list; null clears dates and capacity."
)
class ProgramUpdateInput:
    name: str | None = UNSET
    description: str | None = UNSET
    focus_areas: list[FocusArea] | None = UNSET
    objectives: list[ObjectiveInput] | None = UNSET
    cycle_start: date | None = UNSET
    cycle_end: date | None = UNSET
    cadence_days: int | None = UNSET
    checkin_after_meeting: int | None = UNSET
    checkin_every_days: int | None = UNSET
    role_turn_policy: str | None = UNSET
    training_required: bool | None = UNSET
    matching_rules: MatchingRulesInput | None = UNSET
    pilot_capacity: int | None = UNSET
    max_relationships_per_person: int | None = UNSET
    guidelines: str | None = UNSET
    incentives: list[str] | None = UNSET
    coordinator_ids: list[UUID] | None = UNSET
    committee_member_ids: list[UUID] | None = UNSET

    NULLABLE = frozenset({"cycle_start", "cycle_end", "pilot_capacity"})

    def changes(self) -> domain.ProgramChanges:
        checks = Checks()
        values: dict[str, Any] = {}
        if given(self.name):
            values["name"] = None if self.name is None else checks.text("name", self.name, min_length=1, max_length=200)
        _settings(checks, values, self)
        for name, value in values.items():
            if name not in self.NULLABLE:
                checks.not_null(camel(name), value)
        checks.done()
        return domain.ProgramChanges(**values)


# Read off the domain's own table, so the description cannot drift from the rule.
LEGAL_MOVES = (
    "Legal moves: "
    + "; ".join(
        f"{source.value} → {' | '.join(sorted(t.value for t in targets))}"
        for source, targets in domain.TRANSITIONS.items()
        if targets
    )
    + "."
)


def _comment(comment: proposals.ProposalComment) -> ProposalComment:
    return build(ProposalComment, comment)


@strawberry.type
class ProgramMutations:
    @strawberry.mutation(description=rules_of(service.create_program))
    async def create_program(self, info: Info, input: ProgramInput) -> ProgramResult:
        kind = domain.ProgramKind(input.kind.value)
        return await mutate(
            info, lambda: info.context.run(service.create_program, kind=kind, draft=input.draft()), Program.of
        )

    @strawberry.mutation(description=rules_of(service.update_program))
    async def update_program(
        self, info: Info, id: UUID, input: ProgramUpdateInput, expected_version: int | None = None
    ) -> ProgramResult:
        return await mutate(
            info,
            lambda: info.context.run(
                service.update_program, program_id=id, changes=input.changes(), expected_version=expected_version
            ),
            Program.of,
        )

    @strawberry.mutation(description=rules_of(service.transition_program, then=LEGAL_MOVES))
    async def transition_program(
        self, info: Info, id: UUID, to: ProgramStatus, expected_version: int | None = None
    ) -> ProgramResult:
        target = domain.ProgramStatus(to.value)
        return await mutate(
            info,
            lambda: info.context.run(
                service.transition_program, program_id=id, to=target, expected_version=expected_version
            ),
            Program.of,
        )

    @strawberry.mutation(description=rules_of(service.comment_on_proposal))
    async def comment_on_proposal(self, info: Info, program_id: UUID, body: str) -> CommentResult:
        async def act() -> proposals.ProposalComment:
            checks = Checks("")
            text = checks.text("body", body, min_length=1, max_length=5000)
            checks.done()
            return await info.context.run(service.comment_on_proposal, program_id=program_id, body=text)

        return await mutate(info, act, _comment)

    @strawberry.mutation(description=rules_of(service.review_proposal))
    async def review_proposal(
        self, info: Info, program_id: UUID, verdict: ReviewVerdict, body: str = ""
    ) -> ReviewResult:
        async def act() -> proposals.CommitteeReview:
            checks = Checks("")
            text = checks.text("body", body, max_length=5000)
            checks.done()
            return await info.context.run(
                service.review_proposal,
                program_id=program_id,
                verdict=proposals.ReviewVerdict(verdict.value),
                body=text,
            )

        return await mutate(info, act, lambda r: build(CommitteeReview, r, verdict=to_enum(ReviewVerdict, r.verdict)))

    @strawberry.mutation(description=rules_of(service.invite))
    async def invite_to_program(
        self, info: Info, program_id: UUID, person_id: UUID, message: str = ""
    ) -> InvitationResult:
        async def act() -> Any:
            checks = Checks("")
            text = checks.text("message", message, max_length=2000)
            checks.done()
            return await info.context.run(service.invite, program_id=program_id, person_id=person_id, message=text)

        return await mutate(info, act, lambda i: build(Invitation, i))
