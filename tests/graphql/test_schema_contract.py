"""The GraphQL contract: ``openapi/schema.graphql`` is what the service serves (CI checks the drift
like the OpenAPI file), its enums are the domain's sets, and its descriptions are the use cases'
rules, as in REST's ``/docs``."""

from __future__ import annotations

import inspect
from enum import Enum, StrEnum
from pathlib import Path
from typing import Any, get_args

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.domain import (
    checkins,
    concerns,
    enrollments,
    goals,
    health,
    jobs,
    matching,
    matching_runs,
    meetings,
    programs,
    proposals,
    relationships,
    role_turns,
    skills,
    stories,
    surveys,
    turn_requests,
    webhooks,
)
from app.graphql import enums
from app.graphql.schema import build_schema, schema_text
from app.services import relationships as relationship_cases
from app.settings import Settings

ROOT = Path(__file__).resolve().parents[2]

MIRRORS: list[tuple[type[Enum], Any]] = [
    (enums.ProgramKind, programs.ProgramKind),
    (enums.ProgramStatus, programs.ProgramStatus),
    (enums.FocusArea, programs.FocusArea),
    (enums.ReviewVerdict, proposals.ReviewVerdict),
    (enums.SkillCategory, skills.SkillCategory),
    (enums.EnrollmentStatus, enrollments.EnrollmentStatus),
    (enums.RolePreference, enrollments.RolePreference),
    (enums.MeetingMode, enrollments.MeetingMode),
    (enums.MeetingMode, meetings.MeetingMode),
    (enums.RunStatus, matching_runs.RunStatus),
    (enums.WebhookMessageStatus, webhooks.MessageStatus),
    (enums.WebhookAttemptOutcome, webhooks.AttemptOutcome),
    (enums.UnmatchedReason, matching.model.UnmatchedReason),
    (enums.RelationshipStatus, relationships.RelationshipStatus),
    (enums.EndReason, relationships.EndReason),
    (enums.RelationshipSource, relationships.RelationshipSource),
    (enums.HealthStatus, health.HealthStatus),
    (enums.HealthReason, health.HealthReason),
    (enums.CheckinStatus, checkins.CheckinStatus),
    (enums.QuestionKind, surveys.QuestionKind),
    (enums.SurveyStatus, surveys.SurveyStatus),
    (enums.ConcernKind, concerns.ConcernKind),
    (enums.ConcernStatus, concerns.ConcernStatus),
    (enums.ConcernOutcome, concerns.ConcernOutcome),
    (enums.StoryStatus, stories.StoryStatus),
    (enums.RecognitionSource, stories.RecognitionSource),
    (enums.TurnReasonCode, role_turns.TurnReasonCode),
    (enums.SwapStatus, turn_requests.SwapStatus),
    (enums.MeetingStatus, meetings.MeetingStatus),
    (enums.ResourceKind, meetings.ResourceKind),
    (enums.GoalStatus, goals.GoalStatus),
    (enums.DepartmentPreference, matching.model.DepartmentPreference),
    (enums.JobState, jobs.JobState),
]


def _values(domain: Any) -> set[str]:
    if isinstance(domain, type) and issubclass(domain, StrEnum):
        return {member.value for member in domain}
    return set(get_args(domain))


@pytest.mark.parametrize(("graphql", "domain"), MIRRORS, ids=[m[0].__name__ for m in MIRRORS])
def test_each_enum_is_exactly_the_domain_set(graphql: type[Enum], domain: Any) -> None:
    assert {member.value for member in graphql} == _values(domain)


def test_early_endings_are_the_end_reasons_a_coordinator_may_choose() -> None:
    assert {m.value for m in enums.EarlyEndReason} == _values(relationships.EndReason) - {"declined"}


def test_the_committed_schema_is_the_served_schema() -> None:
    assert (ROOT / "openapi" / "schema.graphql").read_text() == schema_text(Settings())


def test_export_writes_the_schema_and_check_catches_drift(tmp_path: Path) -> None:
    paths = ["--output", str(tmp_path / "openapi.json"), "--events", str(tmp_path / "events.json")]
    target = tmp_path / "schema.graphql"
    runner = CliRunner()
    assert runner.invoke(cli, ["export-openapi", *paths, "--graphql", str(target)]).exit_code == 0
    assert "type Query" in target.read_text()
    assert runner.invoke(cli, ["export-openapi", *paths, "--graphql", str(target), "--check"]).exit_code == 0
    target.write_text(target.read_text().replace("pauseRelationship", "holdRelationship"))
    drift = runner.invoke(cli, ["export-openapi", *paths, "--graphql", str(target), "--check"])
    assert drift.exit_code == 1
    assert "schema.graphql is out of date" in drift.stderr


def test_descriptions_are_the_use_cases_rules() -> None:
    mutation = build_schema(Settings())._schema.mutation_type
    assert mutation is not None
    assert mutation.fields["acceptRelationship"].description == inspect.getdoc(relationship_cases.accept)
    assert "Legal moves: draft → closed | enrolling" in (mutation.fields["transitionProgram"].description or "")
