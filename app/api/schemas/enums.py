"""The domain's closed sets of values, named for the contract.

A ``Literal`` field renders as an anonymous ``enum`` wherever it appears, and client generators
then make one unrelated type per appearance (three "meeting mode" types, two "meeting status"
ones). Named here, each set is one component schema and one type in every generated client.
"""

from __future__ import annotations

from typing import Literal

from typing_extensions import TypeAliasType

from app.domain import (
    checkins,
    concerns,
    goals,
    health,
    meetings,
    relationships,
    role_turns,
    stories,
    surveys,
    turn_requests,
)
from app.domain.enrollments import MeetingMode as MeetingModeSet

# One set of meeting modes: meetings (a Literal in the domain) use the enrollment preference's values.
MeetingMode = MeetingModeSet
MeetingStatus = TypeAliasType("MeetingStatus", meetings.MeetingStatus)
ResourceKind = TypeAliasType("ResourceKind", meetings.ResourceKind)
GoalStatus = TypeAliasType("GoalStatus", goals.GoalStatus)
HealthStatus = TypeAliasType("HealthStatus", health.HealthStatus)
HealthReason = TypeAliasType("HealthReason", health.HealthReason)
RelationshipStatus = TypeAliasType("RelationshipStatus", relationships.RelationshipStatus)
RelationshipSource = TypeAliasType("RelationshipSource", relationships.RelationshipSource)
EndReason = TypeAliasType("EndReason", relationships.EndReason)
EarlyEndReason = TypeAliasType("EarlyEndReason", Literal["mismatch", "rematch", "left_organisation", "other"])
TurnReasonCode = TypeAliasType("TurnReasonCode", role_turns.TurnReasonCode)
SwapStatus = TypeAliasType("SwapStatus", turn_requests.SwapStatus)
DepartmentPreference = TypeAliasType("DepartmentPreference", Literal["cross", "same", "none"])
CheckinStatus = TypeAliasType("CheckinStatus", checkins.CheckinStatus)
QuestionKind = TypeAliasType("QuestionKind", surveys.QuestionKind)
SurveyStatus = TypeAliasType("SurveyStatus", surveys.SurveyStatus)
ConcernKind = TypeAliasType("ConcernKind", concerns.ConcernKind)
ConcernStatus = TypeAliasType("ConcernStatus", concerns.ConcernStatus)
ConcernOutcome = TypeAliasType("ConcernOutcome", concerns.ConcernOutcome)
StoryStatus = TypeAliasType("StoryStatus", stories.StoryStatus)
RecognitionSource = TypeAliasType("RecognitionSource", stories.RecognitionSource)
