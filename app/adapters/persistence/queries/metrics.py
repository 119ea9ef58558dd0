"""A program's metrics (``app.domain.metrics``) in a fixed number of statements, whatever its size:
counts and averages are grouped in SQL; per-pair facts (training, cadence) come one row per pair."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime, time
from typing import Any
from uuid import UUID

from sqlalchemy import Table, func, select, true

from app.adapters.persistence.queries.base import Reads
from app.adapters.persistence.repositories.checkins import checkins
from app.adapters.persistence.repositories.surveys import responses, survey_of, surveys
from app.adapters.persistence.tables import (
    EnrollmentRow,
    LearningGoalRow,
    MeetingRow,
    ObjectiveRow,
    PersonRow,
    ProgramRow,
    RelationshipRow,
)
from app.domain.health import PausePeriod, assess_health
from app.domain.metrics import METRICS_K, ObjectiveProgress, ProgramMetrics, Rate, mean_days, months
from app.domain.surveys import MixedResponse, results

e: Table = EnrollmentRow.__table__  # type: ignore[attr-defined]
r: Table = RelationshipRow.__table__  # type: ignore[attr-defined]
m: Table = MeetingRow.__table__  # type: ignore[attr-defined]
g: Table = LearningGoalRow.__table__  # type: ignore[attr-defined]
o: Table = ObjectiveRow.__table__  # type: ignore[attr-defined]
p: Table = PersonRow.__table__  # type: ignore[attr-defined]
programs: Table = ProgramRow.__table__  # type: ignore[attr-defined]


def _pauses(raw: list[Any]) -> list[PausePeriod]:
    def when(value: Any) -> datetime | None:
        if value is None or isinstance(value, datetime):
            return value
        return datetime.fromisoformat(value)

    found = []
    for pause in raw:
        started = when(pause["started_at"])
        if started is not None:
            found.append(PausePeriod(started, when(pause.get("ended_at"))))
    return found


class MetricsReads(Reads):
    async def program_metrics(
        self, program_id: UUID | None, now: datetime, k: int = METRICS_K
    ) -> ProgramMetrics | None:
        def of(column: Any) -> Any:
            """The program's rows, or every program's for the organisation-wide view (``None``)."""
            return true() if program_id is None else column == program_id

        cycle_start = None
        if program_id is not None:
            program = await self.rows(select(programs.c.cycle_start).where(programs.c.id == program_id))
            if not program:
                return None
            cycle_start = program[0]["cycle_start"]
        enrolled = await self.rows(
            select(e.c.person_id, e.c.status, e.c.created_at, e.c.approved_at, e.c.training_completed_at).where(
                of(e.c.program_id)
            )
        )
        pairs = await self.rows(
            select(
                r.c.id, r.c.member_a_id, r.c.member_b_id, r.c.designated_mentor_id, r.c.status, r.c.end_reason,
                r.c.proposed_at, r.c.activated_at, r.c.closed_at, r.c.agreement, r.c.pauses, r.c.health_status,
            ).where(of(r.c.program_id))
        )  # fmt: skip
        held = await self.rows(
            select(m.c.relationship_id, m.c.starts_at, m.c.led_by, m.c.planned_leader_id).where(
                of(m.c.program_id), m.c.status == "held"
            )
        )
        goal_counts = await self.rows(
            select(g.c.status, g.c.objective_id, func.count().label("n"))
            .where(of(g.c.program_id))
            .group_by(g.c.status, g.c.objective_id)
        )
        objectives = await self.rows(select(o).where(of(o.c.program_id)).order_by(o.c.program_id, o.c.position))
        checkin_stats = await self.rows(
            select(checkins.c.status, func.count().label("n"), func.avg(checkins.c.rating).label("average"))
            .where(of(checkins.c.program_id))
            .group_by(checkins.c.status)
        )
        closed_surveys = [
            survey_of(row)
            for row in await self.rows(select(surveys).where(of(surveys.c.program_id), surveys.c.status == "closed"))
        ]
        answers: dict[UUID, list[MixedResponse]] = defaultdict(list)
        if closed_surveys:
            for row in await self.rows(
                select(responses.c.survey_id, responses.c.day, responses.c.answers, responses.c.groups).where(
                    responses.c.survey_id.in_([s.id for s in closed_surveys])
                )
            ):
                answers[row["survey_id"]].append(MixedResponse(row["day"], dict(row["answers"]), dict(row["groups"])))

        # --- funnel and matching ------------------------------------------------------------------
        by_person = {row["person_id"]: row for row in enrolled}
        paired_at: dict[UUID, datetime] = {}
        for pair in pairs:
            for member in (pair["member_a_id"], pair["member_b_id"]):
                if member not in paired_at or pair["proposed_at"] < paired_at[member]:
                    paired_at[member] = pair["proposed_at"]
        statuses = Counter(row["status"] for row in enrolled)
        admitted = [row for row in enrolled if row["approved_at"] is not None]
        funnel = {
            "enrolled": len(enrolled),
            "approved": len(admitted),
            "trained": sum(1 for row in enrolled if row["training_completed_at"] is not None),
            "matched": sum(1 for person in by_person if person in paired_at),
            "completed": statuses["completed"],
            "withdrawn": statuses["withdrawn"],
        }
        match_rate = Rate.of(sum(1 for row in admitted if row["person_id"] in paired_at), len(admitted), k)
        days_to_match = mean_days([(row["approved_at"], paired_at.get(row["person_id"])) for row in admitted], k)
        decided = [pair for pair in pairs if pair["activated_at"] is not None or pair["end_reason"] == "declined"]
        acceptance = Rate.of(sum(1 for pair in decided if pair["activated_at"] is not None), len(decided), k)

        # --- meetings against cadence, turn balance --------------------------------------------------
        held_by_pair: dict[UUID, list[datetime]] = defaultdict(list)
        for meeting in held:
            held_by_pair[meeting["relationship_id"]].append(meeting["starts_at"])
        expected = 0
        for pair in pairs:
            if pair["activated_at"] is None:
                continue
            end = pair["closed_at"] or now
            cadence = int((pair["agreement"] or {}).get("cadence_days", 14))
            judged = assess_health(
                cadence, pair["activated_at"], held_by_pair[pair["id"]], end, (), _pauses(pair["pauses"] or [])
            )
            expected += judged.expected_meetings
        mentors = {pair["id"]: pair["designated_mentor_id"] for pair in pairs}
        led_by_mentor = sum(
            1
            for meeting in held
            if (meeting["led_by"] or meeting["planned_leader_id"]) == mentors.get(meeting["relationship_id"])
        )

        # --- goals and objectives ---------------------------------------------------------------------
        goals: Counter[str] = Counter()
        linked: Counter[Any] = Counter()
        linked_achieved: Counter[Any] = Counter()
        for row in goal_counts:
            goals[row["status"]] += row["n"]
            if row["objective_id"] is not None:
                linked[row["objective_id"]] += row["n"]
                if row["status"] == "achieved":
                    linked_achieved[row["objective_id"]] += row["n"]
        live_goals = sum(n for status, n in goals.items() if status != "dropped")
        progress = [
            ObjectiveProgress(
                str(row["id"]), row["metric"], row["target"], row["unit"], linked[row["id"]],
                Rate.of(linked_achieved[row["id"]], linked[row["id"]], k),
            )
            for row in objectives
        ]  # fmt: skip

        # --- check-ins and surveys --------------------------------------------------------------------
        stats = {row["status"]: row for row in checkin_stats}
        submitted = stats.get("submitted")
        checkin_average = (
            round(float(submitted["average"]), 2) if submitted is not None and submitted["n"] >= k else None
        )
        survey_summaries: list[dict[str, object]] = []
        for survey in closed_surveys:
            found = results(survey, answers[survey.id])
            survey_summaries.append(
                {
                    "survey_id": str(survey.id),
                    "title": survey.title,
                    "respondents": found.respondents,
                    "scales": {q.key: q.mean for q in found.questions if q.kind == "scale"},
                }
            )

        # --- outcomes, trained vs untrained -------------------------------------------------------------
        over = [pair for pair in pairs if pair["status"] in ("completed", "ended") and pair["end_reason"] != "declined"]
        outcomes = Counter(
            "completed" if pair["status"] == "completed" else f"ended_{pair['end_reason']}" for pair in over
        )

        def trained(pair: Any) -> bool:
            def done(person: UUID) -> bool:
                at = by_person[person]["training_completed_at"] if person in by_person else None
                return at is not None and at <= pair["proposed_at"]

            return done(pair["member_a_id"]) and done(pair["member_b_id"])

        trained_over = [pair for pair in over if trained(pair)]
        untrained_over = [pair for pair in over if not trained(pair)]

        def succeeded(group: list[Any]) -> Rate:
            return Rate.of(sum(1 for pair in group if pair["status"] == "completed"), len(group), k)

        # --- retention -------------------------------------------------------------------------------------
        participants = set(paired_at)  # everyone who was in a pair of the program
        # participants and the people of their departments, in one statement
        of_departments = select(p.c.department).join(e, e.c.person_id == p.c.id).where(of(e.c.program_id))
        people = await self.rows(
            select(p.c.id, p.c.active, p.c.deactivated_at, p.c.created_at).where(p.c.department.in_(of_departments))
        )
        start = datetime.combine(cycle_start, time(), tzinfo=UTC) if cycle_start is not None else None

        def comparable(person: Any) -> bool:
            if person["id"] in by_person:
                return False
            if start is None:
                return True
            return person["created_at"] <= start and (
                person["deactivated_at"] is None or person["deactivated_at"] > start
            )

        stayed = {person["id"]: bool(person["active"]) for person in people}
        others = [person for person in people if comparable(person)]
        return ProgramMetrics(
            program_id="organisation" if program_id is None else str(program_id),
            k=k,
            funnel=funnel,
            match_rate=match_rate,
            days_to_match=days_to_match,
            acceptance_rate=acceptance,
            meetings_held=len(held),
            meetings_expected=expected,
            turn_balance=Rate.of(led_by_mentor, len(held), k),
            health=dict(
                sorted(
                    Counter(pair["health_status"] for pair in pairs if pair["status"] in ("active", "paused")).items()
                )
            ),
            goals=dict(sorted(goals.items())),
            goal_achievement=Rate.of(goals["achieved"], live_goals, k),
            objectives=progress,
            checkins_submitted=submitted["n"] if submitted is not None else 0,
            checkins_missed=stats["missed"]["n"] if "missed" in stats else 0,
            checkin_average=checkin_average,
            surveys=survey_summaries,
            outcomes=dict(sorted(outcomes.items())),
            completion_rate=Rate.of(outcomes["completed"], len(over), k),
            trained_success=succeeded(trained_over),
            untrained_success=succeeded(untrained_over),
            participant_retention=Rate.of(sum(stayed.get(pid, False) for pid in participants), len(participants), k),
            non_participant_retention=Rate.of(sum(1 for person in others if person["active"]), len(others), k),
            monthly={
                "enrolments": months(row["created_at"] for row in enrolled),
                "relationships_activated": months(pair["activated_at"] for pair in pairs),
                "meetings_held": months(meeting["starts_at"] for meeting in held),
            },
        )
