"""Live updates, beyond REST: subscriptions over ``graphql-transport-ws``, fed from the outbox.

- ``myRelationshipChanges``: every committed change to a relationship the caller is a member of
  (proposals, acceptance, pauses, turns, meetings, goals), with the relationship as it is now;
- ``matchingRunProgress``: a run's status and progress until it completes, fails or is published.

Each event is re-read through the same use case as a query (``get_relationship``, ``get_run``), so a
subscriber sees exactly what they could read, and nothing once they may not read it any more.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from uuid import UUID

import strawberry

from app.domain import policies
from app.domain.errors import DomainError
from app.domain.matching_runs import RunStatus
from app.domain.ports import PageRequest
from app.graphql.context import Info
from app.graphql.errors import query_error
from app.graphql.scopes import check_root_field
from app.graphql.types.matching import MatchingRun
from app.graphql.types.relationships import Relationship
from app.services import matching_runs, relationships

_DONE = frozenset({RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.PUBLISHED})


@strawberry.type(description="A committed change to one of your relationships.")
class RelationshipChange:
    event_id: UUID = strawberry.field(description="The outbox event's id (also the webhook-id of the same event).")
    event: str = strawberry.field(description="The event type, e.g. `meeting.scheduled` (see the event catalogue).")
    relationship: Relationship = strawberry.field(description="The relationship as it is after the change.")


async def _my_relationship_ids(info: Info, me: UUID) -> set[UUID]:
    found: set[UUID] = set()
    page = PageRequest(limit=200)
    while True:
        batch = await info.context.run(relationships.list_relationships, person_id=me, page=page)
        found.update(view.relationship.id for view in batch.items)
        if batch.next_after is None:
            return found
        page = PageRequest(limit=200, after=batch.next_after)


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="Every change to a relationship you are a member of, as it is committed (members only)."
    )
    async def my_relationship_changes(self, info: Info) -> AsyncGenerator[RelationshipChange, None]:
        context = info.context
        try:
            check_root_field(context.caller, info.field_name)
            me = policies.require_person(context.actor)
            mine = await _my_relationship_ids(info, me)
        except DomainError as error:
            raise query_error(error) from error
        async for event in context.container.outbox_feed.follow():
            raw = event.payload.get("relationship_id")
            if not isinstance(raw, str):
                continue
            relationship_id = UUID(raw)
            if event.event_type == "relationship.proposed" and str(me) in event.payload.get("member_ids", []):
                mine.add(relationship_id)
            if relationship_id not in mine:
                continue
            try:
                view = await context.run(relationships.get_relationship, relationship_id=relationship_id)
            except DomainError as error:
                if error.kind == "not_found":  # no longer visible to the caller
                    mine.discard(relationship_id)
                    continue
                raise query_error(error) from error
            context.changed()  # nested fields read afresh for every change
            yield RelationshipChange(event_id=event.id, event=event.event_type, relationship=Relationship.of(view))

    @strawberry.subscription(
        description="A matching run's status and progress, until it completes, fails or is published "
        "(the program's staff)."
    )
    async def matching_run_progress(self, info: Info, run_id: UUID) -> AsyncGenerator[MatchingRun, None]:
        context = info.context
        try:
            check_root_field(context.caller, info.field_name)
        except DomainError as error:
            raise query_error(error) from error

        async def read() -> tuple[MatchingRun, tuple[object, ...], bool]:
            try:
                run = await context.run(matching_runs.get_run, run_id=run_id)
            except DomainError as error:
                raise query_error(error) from error
            context.changed()
            return MatchingRun.of(run), (run.status, run.progress, run.version), run.status in _DONE

        shown, state, done = await read()
        yield shown
        if done:
            return
        async for _ in context.container.outbox_feed.ticks():
            shown, now, done = await read()
            if now != state:
                state = now
                yield shown
            if done:
                return
