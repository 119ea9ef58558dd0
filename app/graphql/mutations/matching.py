"""Matching runs and manual pairing."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import strawberry

from app.domain import matching_runs as domain
from app.domain.ports import UnitOfWork
from app.graphql.checks import Checks
from app.graphql.context import Info
from app.graphql.described import rules_of
from app.graphql.results import MatchingRunResult, RelationshipResult, mutate
from app.graphql.types.matching import MatchingRun
from app.graphql.types.relationships import Relationship
from app.services import matching_run_reads as reads
from app.services import matching_runs as service
from app.services import pairing
from app.services.pairs import RelationshipView


def _pairs(checks: Checks, name: str, pairs: list[list[UUID]], *, max_items: int) -> list[tuple[UUID, UUID]]:
    checks.items(name, pairs, max_items=max_items)
    found = []
    for i, pair in enumerate(pairs):
        if len(pair) != 2:
            checks.fail(f"{name}[{i}]", "must name exactly two enrollments")
        else:
            found.append((pair[0], pair[1]))
    return found


@strawberry.type
class MatchingMutations:
    @strawberry.mutation(description=rules_of(service.start_run))
    async def start_matching_run(
        self,
        info: Info,
        program_id: UUID,
        pins: Annotated[
            list[list[UUID]] | None,
            strawberry.argument(description="Pairs of enrollment ids to keep whatever the optimum says."),
        ] = None,
        forbids: Annotated[
            list[list[UUID]] | None,
            strawberry.argument(description="Pairs of enrollment ids never to propose in this run."),
        ] = None,
        based_on: Annotated[
            UUID | None, strawberry.argument(description="Re-solve this earlier run, keeping its pins and forbids.")
        ] = None,
    ) -> MatchingRunResult:
        context = info.context

        async def act() -> domain.MatchingRun:
            checks = Checks("")
            kept = _pairs(checks, "pins", pins or [], max_items=500)
            apart = _pairs(checks, "forbids", forbids or [], max_items=5000)
            checks.done()
            run = await context.run(
                service.start_run, program_id=program_id, pins=kept, forbids=apart, based_on=based_on
            )
            if run.pool_size <= service.INLINE_POOL_LIMIT:
                # a small pool is solved inside this request's transaction, as REST does
                def joined() -> UnitOfWork:
                    return context.uow()

                async with context.lock:
                    await service.execute_run(joined, run.id)
                return await context.run(reads.get_run, run_id=run.id)
            return run  # its job (enqueued with it) solves it in a worker

        return await mutate(info, act, MatchingRun.of)

    @strawberry.mutation(description=rules_of(service.publish_run))
    async def publish_matching_run(
        self, info: Info, run_id: UUID, expected_version: int | None = None
    ) -> MatchingRunResult:
        return await mutate(
            info,
            lambda: info.context.run(service.publish_run, run_id=run_id, expected_version=expected_version),
            MatchingRun.of,
        )

    @strawberry.mutation(description=rules_of(pairing.create_relationship))
    async def create_relationship(
        self,
        info: Info,
        program_id: UUID,
        enrollment_ids: Annotated[
            list[UUID], strawberry.argument(description="The two enrollments to pair, in this program.")
        ],
        designated_mentor_id: Annotated[
            UUID | None,
            strawberry.argument(
                description="Person id of the member who leads first. Reverse programs: must be the junior "
                "who offered to mentor (the default). Reciprocal programs: default the senior."
            ),
        ] = None,
    ) -> RelationshipResult:
        async def act() -> RelationshipView:
            checks = Checks("")
            checks.items("enrollmentIds", enrollment_ids, min_items=2, max_items=2)
            checks.done()
            first, second = enrollment_ids
            return await info.context.run(
                pairing.create_relationship,
                program_id=program_id,
                enrollment_ids=(first, second),
                designated_mentor_id=designated_mentor_id,
            )

        return await mutate(info, act, Relationship.of)
