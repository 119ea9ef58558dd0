"""Creating relationships: the one door through which pairs are made, by hand or by matching.

The rules are the domain's (:mod:`app.domain.pairing`); this module loads what they read — for one
pair or a whole matching run at once, in a number of queries that does not grow with the pairs.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from app.domain import policies
from app.domain.actors import Actor
from app.domain.pairing import LivePairs, Pairing
from app.domain.ports import UnitOfWork
from app.domain.programs import Program
from app.services.pairs import RelationshipView, load_program, view


async def load_pairing(uow: UnitOfWork, program: Program, enrollment_ids: Sequence[UUID]) -> Pairing:
    """What the pairing rules read for these enrollments: the enrollments, their people, the
    reporting chains above them, the program's exclusions and its live pairs that involve them."""
    enrollments = await uow.enrollments.get_many(enrollment_ids)
    person_ids = sorted({e.person_id for e in enrollments.values()}, key=lambda ident: ident.bytes)
    people = {p.id: p for p in await uow.people.get_many(person_ids)}
    depth = program.matching_settings().reporting_line_depth
    return Pairing(
        program=program,
        enrollments=enrollments,
        people=people,
        managers=await uow.people.managers_above(person_ids, depth=depth),
        exclusions=await uow.relationships.exclusions(program.id),
        live=LivePairs.of(
            await uow.relationships.live_pairs(program.id, person_ids),
            max_per_person=program.max_relationships_per_person,
        ),
    )


async def create_relationship(
    uow: UnitOfWork,
    actor: Actor,
    *,
    program_id: UUID,
    enrollment_ids: tuple[UUID, UUID],
    designated_mentor_id: UUID | None = None,
) -> RelationshipView:
    """Pair two enrollments by hand.

    - the program's coordinators and admins only;
    - the program is in ``matching`` or ``active``; both enrollments are ``ready`` (or ``matched``,
      which capacity then judges), else ``enrollment_not_ready``;
    - the hard constraints of matching apply, with the same function: no pair inside a reporting
      line (manager chain to ``reporting_line_depth``, default 2, both directions; optionally peers
      with the same manager), no pair that was declined or rematched before, reverse programs pair a
      mentor junior to the mentee by ``min_seniority_gap``; and capacity: nobody gets more live
      relationships than ``max_relationships_per_person``. Any breach is ``pair_breaks_constraint``
      with one entry per constraint in ``errors[]`` (``path`` is the constraint's code:
      ``reporting_line``, ``excluded_pair``, ``seniority_gap``, ``role_mismatch``, ``same_manager``,
      ``at_capacity``, ``already_paired``);
    - reverse programs: the designated mentor is the junior who offered to mentor; reciprocal
      programs: the one named, else the senior (who role-models first);
    - the program's role-turn policy and cadence are copied; the relationship is ``proposed`` and
      both enrollments become ``matched``; each member then accepts or declines.
    """
    async with uow:
        program = await load_program(uow, program_id, lock=True)
        policies.require(
            policies.can_pair(actor, program), "pairing_forbidden", "Only the program's coordinators pair people."
        )
        pairing = await load_pairing(uow, program, enrollment_ids)
        relationship = pairing.propose(
            relationship_id=uow.ids.new_id(),
            enrollment_ids=enrollment_ids,
            source="manual",
            now=uow.clock.now(),
            designated_mentor_id=designated_mentor_id,
        )
        uow.relationships.add(relationship)
        result = await view(uow, relationship)
        await uow.commit()
        return result
