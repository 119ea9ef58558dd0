"""Relationships: accepting a proposal, the pair's rhythm, early endings, the agreement, role-turns."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import strawberry
from strawberry.types.unset import UNSET

from app.domain.turn_policies import TurnPolicy
from app.graphql.checks import Checks, camel, given
from app.graphql.context import Info, P, UseCase
from app.graphql.described import rules_of
from app.graphql.enums import EarlyEndReason
from app.graphql.resolve import domain_value
from app.graphql.results import RelationshipResult, TurnsResult, mutate
from app.graphql.types.relationships import Relationship
from app.graphql.types.turns import Turns
from app.services import relationships as service
from app.services import turns
from app.services.pairs import RelationshipView
from app.services.turns import TurnsView


@strawberry.input(description="Only the fields sent change.")
class AgreementInput:
    shared_goals: list[str] | None = UNSET
    cadence_days: int | None = strawberry.field(default=UNSET, description="Meet every N days (1–365).")
    boundaries: str | None = UNSET
    channels: list[str] | None = UNSET

    def changes(self) -> dict[str, object]:
        checks = Checks()
        values: dict[str, object] = {}
        for name in ("shared_goals", "cadence_days", "boundaries", "channels"):
            if given(getattr(self, name)):
                checks.not_null(camel(name), getattr(self, name))
        if isinstance(self.shared_goals, list):
            values["shared_goals"] = checks.texts(
                "sharedGoals", self.shared_goals, max_items=20, max_length=300, min_length=1
            )
        if isinstance(self.cadence_days, int):
            values["cadence_days"] = checks.number("cadenceDays", self.cadence_days, low=1, high=365)
        if isinstance(self.boundaries, str):
            values["boundaries"] = checks.text("boundaries", self.boundaries, max_length=5000)
        if isinstance(self.channels, list):
            values["channels"] = checks.texts("channels", self.channels, max_items=10, max_length=80, min_length=1)
        checks.done()
        return values


async def _relationship(
    info: Info, use_case: UseCase[P, RelationshipView], *args: P.args, **kwargs: P.kwargs
) -> RelationshipResult:
    return await mutate(info, lambda: info.context.run(use_case, *args, **kwargs), Relationship.of)


async def _turns(info: Info, use_case: UseCase[P, TurnsView], *args: P.args, **kwargs: P.kwargs) -> TurnsResult:
    return await mutate(info, lambda: info.context.run(use_case, *args, **kwargs), Turns.of)


@strawberry.type
class RelationshipMutations:
    @strawberry.mutation(description=rules_of(service.accept))
    async def accept_relationship(
        self, info: Info, id: UUID, expected_version: int | None = None
    ) -> RelationshipResult:
        return await _relationship(info, service.accept, relationship_id=id, expected_version=expected_version)

    @strawberry.mutation(description=rules_of(service.decline))
    async def decline_relationship(
        self, info: Info, id: UUID, expected_version: int | None = None
    ) -> RelationshipResult:
        return await _relationship(info, service.decline, relationship_id=id, expected_version=expected_version)

    @strawberry.mutation(description=rules_of(service.pause))
    async def pause_relationship(self, info: Info, id: UUID, expected_version: int | None = None) -> RelationshipResult:
        return await _relationship(info, service.pause, relationship_id=id, expected_version=expected_version)

    @strawberry.mutation(description=rules_of(service.resume))
    async def resume_relationship(
        self, info: Info, id: UUID, expected_version: int | None = None
    ) -> RelationshipResult:
        return await _relationship(info, service.resume, relationship_id=id, expected_version=expected_version)

    @strawberry.mutation(description=rules_of(service.complete))
    async def complete_relationship(
        self, info: Info, id: UUID, expected_version: int | None = None
    ) -> RelationshipResult:
        return await _relationship(info, service.complete, relationship_id=id, expected_version=expected_version)

    @strawberry.mutation(description=rules_of(service.end))
    async def end_relationship(
        self, info: Info, id: UUID, reason: EarlyEndReason, expected_version: int | None = None
    ) -> RelationshipResult:
        return await _relationship(
            info, service.end, relationship_id=id, reason=domain_value(reason), expected_version=expected_version
        )

    @strawberry.mutation(description=rules_of(service.update_agreement))
    async def update_agreement(
        self, info: Info, id: UUID, input: AgreementInput, expected_version: int | None = None
    ) -> RelationshipResult:
        return await mutate(
            info,
            lambda: info.context.run(
                service.update_agreement,
                relationship_id=id,
                expected_version=expected_version,
                **input.changes(),  # type: ignore[arg-type]
            ),
            Relationship.of,
        )

    @strawberry.mutation(description=rules_of(turns.propose_policy))
    async def propose_turn_policy(
        self,
        info: Info,
        relationship_id: UUID,
        policy: Annotated[
            str,
            strawberry.argument(description="`fixed`, `alternate(N)`, `senior_first(K)` or `primary_with_exchange`."),
        ],
        expected_version: int | None = None,
    ) -> TurnsResult:
        async def act() -> TurnsView:
            checks = Checks("")
            text = checks.turn_policy("policy", policy)
            checks.done()
            return await info.context.run(
                turns.propose_policy,
                relationship_id=relationship_id,
                policy=TurnPolicy.parse(text),
                expected_version=expected_version,
            )

        return await mutate(info, act, Turns.of)

    @strawberry.mutation(description=rules_of(turns.accept_policy))
    async def accept_turn_policy(
        self, info: Info, relationship_id: UUID, expected_version: int | None = None
    ) -> TurnsResult:
        return await _turns(
            info, turns.accept_policy, relationship_id=relationship_id, expected_version=expected_version
        )

    @strawberry.mutation(description=rules_of(turns.decline_policy))
    async def decline_turn_policy(
        self, info: Info, relationship_id: UUID, expected_version: int | None = None
    ) -> TurnsResult:
        return await _turns(
            info, turns.decline_policy, relationship_id=relationship_id, expected_version=expected_version
        )

    @strawberry.mutation(description=rules_of(turns.withdraw_policy))
    async def withdraw_turn_policy(
        self, info: Info, relationship_id: UUID, expected_version: int | None = None
    ) -> TurnsResult:
        return await _turns(
            info, turns.withdraw_policy, relationship_id=relationship_id, expected_version=expected_version
        )

    @strawberry.mutation(description=rules_of(turns.declare_ready))
    async def declare_ready(
        self, info: Info, relationship_id: UUID, expected_version: int | None = None
    ) -> TurnsResult:
        return await _turns(
            info, turns.declare_ready, relationship_id=relationship_id, expected_version=expected_version
        )

    @strawberry.mutation(description=rules_of(turns.request_swap))
    async def request_swap(self, info: Info, relationship_id: UUID, expected_version: int | None = None) -> TurnsResult:
        return await _turns(
            info, turns.request_swap, relationship_id=relationship_id, expected_version=expected_version
        )

    @strawberry.mutation(description=rules_of(turns.accept_swap))
    async def accept_swap(
        self, info: Info, relationship_id: UUID, swap_id: UUID, expected_version: int | None = None
    ) -> TurnsResult:
        return await _turns(
            info, turns.accept_swap, relationship_id=relationship_id, swap_id=swap_id, expected_version=expected_version
        )

    @strawberry.mutation(description=rules_of(turns.decline_swap))
    async def decline_swap(
        self, info: Info, relationship_id: UUID, swap_id: UUID, expected_version: int | None = None
    ) -> TurnsResult:
        return await _turns(
            info,
            turns.decline_swap,
            relationship_id=relationship_id,
            swap_id=swap_id,
            expected_version=expected_version,
        )

    @strawberry.mutation(description=rules_of(turns.withdraw_swap))
    async def withdraw_swap(
        self, info: Info, relationship_id: UUID, swap_id: UUID, expected_version: int | None = None
    ) -> TurnsResult:
        return await _turns(
            info,
            turns.withdraw_swap,
            relationship_id=relationship_id,
            swap_id=swap_id,
            expected_version=expected_version,
        )
