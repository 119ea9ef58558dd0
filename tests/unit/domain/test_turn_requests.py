"""What the pair asks of each other is announced (ids and policy texts, never private text), and a
slide into trouble is announced once per change of the health signal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from app.domain.events import RelationshipAgreementUpdated, RelationshipAtRisk, RelationshipStalled, TurnJuniorReady
from app.domain.health import Health
from app.domain.relationships import Agreement, Relationship
from app.domain.turn_policies import TurnPolicy

JUNIOR = UUID(int=1)
SENIOR = UUID(int=2)
REL = UUID(int=10)
PROGRAM = UUID(int=20)
NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def active(policy: str) -> Relationship:
    relationship = Relationship.propose(
        id=REL,
        program_id=PROGRAM,
        member_a_id=JUNIOR,
        member_b_id=SENIOR,
        designated_mentor_id=SENIOR,
        senior_member_id=SENIOR,
        program_policy=TurnPolicy.parse(policy),
        source="manual",
        now=NOW,
    )
    relationship.accept(JUNIOR, NOW)
    relationship.accept(SENIOR, NOW)
    relationship.events.clear()
    return relationship


def test_the_juniors_ready_declaration_is_announced_with_its_turn() -> None:
    relationship = active("senior_first(3)")
    relationship.declare_ready(JUNIOR, 1, NOW)
    assert relationship.events == [
        TurnJuniorReady(relationship_id=REL, program_id=PROGRAM, person_id=JUNIOR, turn_index=1)
    ]
    assert relationship.events[0].event_type == "turn.junior_ready"


def test_an_agreement_change_announces_the_cadence_but_not_the_text() -> None:
    relationship = active("alternate(1)")
    relationship.update_agreement(JUNIOR, Agreement(cadence_days=7, boundaries="Never on Fridays"), NOW)
    relationship.update_agreement(JUNIOR, Agreement(cadence_days=7, boundaries="Never on Fridays"), NOW)
    assert relationship.events == [
        RelationshipAgreementUpdated(relationship_id=REL, program_id=PROGRAM, person_id=JUNIOR, cadence_days=7)
    ]
    assert "Fridays" not in str(relationship.events[0].payload())


def test_turn_request_events_carry_no_private_text() -> None:
    relationship = active("primary_with_exchange")
    relationship.propose_policy(JUNIOR, TurnPolicy.alternate(2), NOW)
    relationship.accept_policy(SENIOR, 2, NOW)
    swap = relationship.request_swap(JUNIOR, UUID(int=30), NOW)
    relationship.accept_swap(SENIOR, swap.id, 3, NOW)
    assert [e.event_type for e in relationship.events] == [
        "turn.policy_proposed",
        "turn.policy_changed",
        "turn.swap_requested",
        "turn.swapped",
    ]
    assert relationship.events[1].payload()["from_turn"] == 2


def test_at_risk_is_announced_when_the_signal_moves_into_trouble_only() -> None:
    relationship = active("alternate(1)")

    def seen(status: str) -> None:
        relationship.observe_health(Health(status, "on_cadence", 0, 0, None))  # type: ignore[arg-type]

    for status in ("on_track", "at_risk", "at_risk", "stalled", "stalled", "on_track", "at_risk"):
        seen(status)
    alarms = [e for e in relationship.events if isinstance(e, RelationshipAtRisk | RelationshipStalled)]
    assert [(e.event_type, e.health) for e in alarms] == [
        ("relationship.at_risk", "at_risk"),
        ("relationship.stalled", "stalled"),
        ("relationship.at_risk", "at_risk"),
    ]
    assert relationship.health_status == "at_risk"


def test_a_relationship_is_live_until_it_closes() -> None:
    relationship = active("fixed")
    assert relationship.is_live
    relationship.pause(NOW)
    assert relationship.is_live
    relationship.complete(NOW + timedelta(days=1))
    assert not relationship.is_live
