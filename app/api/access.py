"""Who may call what: every operation's access rule, declared here and nowhere else.

Each operation (by ``operationId``) names a rule. A rule says, in a sentence and per kind of caller,
what the caller gets — ``allowed``, ``401``, ``403`` or ``404`` (a resource hidden from the caller is
"not found": existence is private too) — and which scope admits an integration (an API key or an IdP
service client). The OpenAPI document carries it as ``x-turnabout-access`` and as a sentence in the
description; the request path enforces the scope (``app.api.deps.check_scope``) before the body is
read; the use cases' policies enforce the rest; and ``tests/api/test_authorization_matrix.py`` calls
every operation as every kind of caller and holds each answer to this table. An operation missing
here fails that test.

The callers, on one seeded organisation: ``anonymous`` (no token), ``employee`` (in the directory,
in no program), ``participant`` and ``partner`` (the two members of a relationship; the participant is its
junior member, the one whose records the paths name and who asked for the turn swap), ``coordinator``
(of this program, HR staff),
``other_coordinator`` (HR staff coordinating another program), ``committee_member`` (of this program's
review committee), ``admin``, ``integration`` (an API key with the operation's scope) and
``integration_without_scope`` (an API key with every other scope).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal

from app.domain.actors import Scope

Outcome = Literal["allowed", "401", "403", "404"]
CALLERS: Final = (
    "anonymous",
    "employee",
    "participant",
    "partner",
    "coordinator",
    "other_coordinator",
    "committee_member",
    "admin",
    "integration",
    "integration_without_scope",
)
PEOPLE: Final = ("employee", "participant", "partner", "coordinator", "other_coordinator", "committee_member", "admin")


@dataclass(frozen=True)
class Rule:
    name: str
    sentence: str
    allowed: frozenset[str]
    hidden: frozenset[str] = frozenset()  # refused with 404 rather than 403
    scope: Scope | None = None  # the scope that admits an integration
    public: bool = False

    def outcome(self, caller: str) -> Outcome:
        if caller == "anonymous" and not self.public:
            return "401"
        if caller in self.allowed:
            return "allowed"
        return "404" if caller in self.hidden else "403"

    def extension(self) -> dict[str, Any]:
        return {
            "rule": self.name,
            "scope": self.scope.value if self.scope else None,
            "callers": {caller: self.outcome(caller) for caller in CALLERS},
        }


def _rule(
    name: str,
    sentence: str,
    allowed: tuple[str, ...] | frozenset[str],
    *,
    hidden: tuple[str, ...] = (),
    scope: Scope | None = None,
    public: bool = False,
) -> Rule:
    admitted = set(allowed) | ({"integration"} if scope else set())
    return Rule(name, sentence, frozenset(admitted), frozenset(hidden), scope, public)


STAFF = ("coordinator", "admin")
MEMBERS = ("participant", "partner")
OUTSIDERS = ("employee", "other_coordinator", "committee_member")
HR = ("coordinator", "other_coordinator", "admin")

RULES: Final[dict[str, Rule]] = {
    r.name: r
    for r in (
        _rule("public", "Anyone, without a token.", (*CALLERS,), public=True),
        _rule(
            "metrics",
            "Anyone while `/metrics` is public (development, `TURNABOUT_METRICS_PUBLIC=true`); otherwise admins "
            "and integrations with `metrics:read`.",
            ("admin",),
            scope=Scope.METRICS_READ,
        ),
        _rule("self", "Any signed-in person, about themself; never an integration.", PEOPLE),
        _rule(
            "announced",
            "Every signed-in person (programs are announced to all employees); integrations with `programs:read`.",
            PEOPLE,
            scope=Scope.PROGRAMS_READ,
        ),
        _rule("any_person", "Any signed-in person; never an integration.", PEOPLE),
        _rule(
            "filtered",
            "Any signed-in person; the list holds only what the caller may see (their own; the program's "
            "coordinators and admins: all). Never an integration.",
            PEOPLE,
        ),
        _rule("hr", "Admins and HR staff (the `coordinator` role).", HR),
        _rule("admin", "Admins signed in as themselves.", ("admin",)),
        _rule(
            "people_write",
            "Admins, and integrations with `people:write` (the HRIS).",
            ("admin",),
            scope=Scope.PEOPLE_WRITE,
        ),
        _rule(
            "directory",
            "Admins, HR staff and integrations with `people:read`.",
            HR,
            scope=Scope.PEOPLE_READ,
        ),
        _rule(
            "person",
            "The person themself, their mentoring partners, HR staff, admins and integrations with `people:read` "
            "(self-identified attributes: the person alone).",
            (*MEMBERS, *HR),
            hidden=("employee", "committee_member"),
            scope=Scope.PEOPLE_READ,
        ),
        _rule(
            "webhooks",
            "Admins, and integrations with `webhooks:manage`.",
            ("admin",),
            scope=Scope.WEBHOOKS_MANAGE,
        ),
        _rule(
            "event_catalogue",
            "Any signed-in person, and integrations with `webhooks:manage` (the catalogue of event types).",
            PEOPLE,
            scope=Scope.WEBHOOKS_MANAGE,
        ),
        _rule("program_staff", "The program's coordinators and admins.", STAFF),
        _rule(
            "program_staff_hidden",
            "The program's coordinators and admins; others are told it does not exist.",
            STAFF,
            hidden=(*MEMBERS, *OUTSIDERS),
        ),
        _rule(
            "reviewers",
            "The program's coordinators, admins and its committee members.",
            (*STAFF, "committee_member"),
        ),
        _rule("committee", "The program's committee members.", ("committee_member",)),
        _rule(
            "enrollment",
            "The enrolled person and the program's coordinators and admins; others are told it does not exist.",
            ("participant", *STAFF),
            hidden=("partner", *OUTSIDERS),
        ),
        _rule(
            "own_enrollment",
            "The enrolled person alone; others are told it does not exist or are refused.",
            ("participant",),
            hidden=("partner", *OUTSIDERS),
        ),
        _rule(
            "training",
            "The program's coordinators, admins and integrations with `enrollments:write` (the LMS).",
            STAFF,
            scope=Scope.ENROLLMENTS_WRITE,
        ),
        _rule(
            "pair",
            "The two members and the program's coordinators and admins; others are told it does not exist.",
            (*MEMBERS, *STAFF),
            hidden=OUTSIDERS,
        ),
        _rule(
            "members",
            "The two members alone (the staff are refused); others are told it does not exist.",
            MEMBERS,
            hidden=OUTSIDERS,
        ),
        _rule(
            "counterpart",
            "The member who did not make the request; the one who did and the staff are refused; others are "
            "told it does not exist.",
            ("partner",),
            hidden=OUTSIDERS,
        ),
        _rule(
            "junior_member",
            "The junior member alone; the senior member and the staff are refused; others are told it does not exist.",
            ("participant",),
            hidden=OUTSIDERS,
        ),
        _rule(
            "pair_staff",
            "The program's coordinators and admins (members are refused); others are told it does not exist.",
            STAFF,
            hidden=OUTSIDERS,
        ),
        _rule(
            "own_reflection",
            "Either member, writing their own private reflection; nobody else — admins included (refused); "
            "others are told it does not exist.",
            MEMBERS,
            hidden=OUTSIDERS,
        ),
        _rule(
            "author",
            "The reflection's author alone — admins included, nobody else; others are told it does not exist.",
            ("participant",),
            hidden=("partner", *OUTSIDERS, *STAFF),
        ),
        _rule(
            "checkin",
            "Its author and the program's coordinators and admins; to the partner and anyone else it does not exist.",
            ("participant", *STAFF),
            hidden=("partner", *OUTSIDERS),
        ),
        _rule(
            "survey_staff",
            "The program's coordinators and admins; the advisory committee is refused; to anyone else the "
            "survey does not exist.",
            STAFF,
            hidden=(*MEMBERS, "employee", "other_coordinator"),
        ),
        _rule(
            "survey",
            "The program's coordinators, admins and its advisory committee; its participants once it opened; "
            "others are told it does not exist.",
            (*MEMBERS, *STAFF, "committee_member"),
            hidden=("employee", "other_coordinator"),
        ),
        _rule(
            "survey_respondents",
            "The program's participants, once each, while it is open; to anyone else — the staff included — it "
            "does not exist.",
            MEMBERS,
            hidden=(*OUTSIDERS, *STAFF),
        ),
        _rule(
            "participants",
            "The program's participants (an enrollment in it or one of its pairs); anyone else is refused.",
            MEMBERS,
        ),
        _rule(
            "survey_readers",
            "The program's coordinators, admins and its advisory committee (aggregates only, never a single "
            "response); others are told it does not exist.",
            (*STAFF, "committee_member"),
            hidden=(*MEMBERS, "employee", "other_coordinator"),
        ),
        _rule(
            "concerns_filtered",
            "Any signed-in person; the list holds only the concerns they raised and, for the program's "
            "coordinators, the program's (admins see no one else's). Never an integration.",
            PEOPLE,
        ),
        _rule(
            "concern",
            "The person who raised it and the program's coordinators; to anyone else — admins included — it "
            "does not exist.",
            ("participant", "coordinator"),
            hidden=("partner", *OUTSIDERS, "admin"),
        ),
        _rule(
            "concern_handler",
            "The program's coordinators; the person who raised it is refused; to anyone else — admins "
            "included — it does not exist.",
            ("coordinator",),
            hidden=("partner", *OUTSIDERS, "admin"),
        ),
        _rule(
            "stories_filtered",
            "Any signed-in person; the list holds the published stories, those the caller wrote or is named in, "
            "their programs' stories for coordinators and every story for admins. Never an integration.",
            PEOPLE,
        ),
        _rule(
            "story",
            "Published: every signed-in person. Before that: its author, the partner it names and the "
            "program's coordinators and admins; others are told it does not exist. Never an integration.",
            (*MEMBERS, *STAFF),
            hidden=OUTSIDERS,
        ),
        _rule(
            "story_partner",
            "The partner the story names alone; the author and the staff are refused; others are told it "
            "does not exist.",
            ("partner",),
            hidden=OUTSIDERS,
        ),
        _rule(
            "story_approver",
            "The program's coordinators and admins; the author and the partner are refused; others are told "
            "it does not exist.",
            STAFF,
            hidden=OUTSIDERS,
        ),
        _rule(
            "story_owner",
            "Its author and the program's coordinators and admins; the partner is refused; others are told it "
            "does not exist.",
            ("participant", *STAFF),
            hidden=OUTSIDERS,
        ),
        _rule(
            "program_metrics",
            "The program's coordinators, admins, its advisory committee and integrations with `reports:read` "
            "(aggregates only, small groups withheld).",
            (*STAFF, "committee_member"),
            scope=Scope.REPORTS_READ,
        ),
        _rule(
            "organisation_metrics",
            "Admins and integrations with `reports:read` (aggregates only, small groups withheld).",
            ("admin",),
            scope=Scope.REPORTS_READ,
        ),
    )
}

OPERATION_ACCESS: Final[dict[str, str]] = {
    # operations
    "healthz": "public",
    "readyz": "public",
    "jwks": "public",
    "openidConfiguration": "public",
    "metrics": "metrics",
    "calendarFeed": "public",
    # me
    "getMe": "self",
    "myEnrollments": "self",
    "updateMyConsent": "self",
    "createCalendarFeed": "self",
    "revokeCalendarFeed": "self",
    # people, identities, API keys
    "listPeople": "directory",
    "getPerson": "person",
    "createPerson": "people_write",
    "updatePerson": "people_write",
    "deactivatePerson": "people_write",
    "upsertPeople": "people_write",
    "listIdentities": "admin",
    "unlinkIdentity": "admin",
    "createApiKey": "admin",
    "listApiKeys": "admin",
    "revokeApiKey": "admin",
    # jobs
    "listJobs": "admin",
    "getJob": "admin",
    "retryJob": "admin",
    # webhooks
    "listWebhookEventTypes": "event_catalogue",
    "createWebhookEndpoint": "webhooks",
    "listWebhookEndpoints": "webhooks",
    "getWebhookEndpoint": "webhooks",
    "updateWebhookEndpoint": "webhooks",
    "deleteWebhookEndpoint": "webhooks",
    "getWebhookSecret": "webhooks",
    "rotateWebhookSecret": "webhooks",
    "sendWebhookTest": "webhooks",
    "listWebhookMessages": "webhooks",
    "getWebhookMessage": "webhooks",
    "redeliverWebhookMessage": "webhooks",
    "recoverWebhookMessages": "webhooks",
    # skills
    "listSkills": "any_person",
    "getSkill": "any_person",
    "createSkill": "hr",
    # programs
    "listPrograms": "announced",
    "getProgram": "announced",
    "listObjectives": "announced",
    "createProgram": "hr",
    "updateProgram": "program_staff",
    "transitionProgram": "program_staff",
    "listComments": "any_person",
    "commentOnProposal": "any_person",
    "listReviews": "reviewers",
    "reviewProposal": "committee",
    "invite": "program_staff",
    "listInvitations": "program_staff",
    # enrollments
    "enrol": "any_person",
    "listEnrollments": "filtered",
    "getEnrollment": "enrollment",
    "updateEnrollment": "own_enrollment",
    "approveEnrollment": "program_staff",
    "withdrawEnrollment": "enrollment",
    "recordTraining": "training",
    # matching
    "listMatchingRuns": "program_staff",
    "startMatchingRun": "program_staff",
    "getMatchingRun": "program_staff_hidden",
    "compareMatchingRun": "program_staff_hidden",
    "listMatchingProposals": "program_staff_hidden",
    "listMatchingUnmatched": "program_staff_hidden",
    "publishMatchingRun": "program_staff_hidden",
    # relationships, role-turns
    "listRelationships": "filtered",
    "createRelationship": "program_staff",
    "getRelationship": "pair",
    "getTurns": "pair",
    "acceptRelationship": "members",
    "declineRelationship": "members",
    "updateAgreement": "members",
    "pauseRelationship": "pair",
    "resumeRelationship": "pair",
    "completeRelationship": "pair",
    "endRelationship": "pair_staff",
    "declareReady": "junior_member",
    "requestSwap": "members",
    "acceptSwap": "counterpart",
    "declineSwap": "counterpart",
    "withdrawSwap": "members",
    "proposeTurnPolicy": "members",
    "acceptTurnPolicy": "members",
    "declineTurnPolicy": "members",
    "withdrawTurnPolicy": "members",
    # meetings and goals
    "listMeetings": "pair",
    "scheduleMeeting": "members",
    "getMeeting": "pair",
    "updateMeeting": "members",
    "cancelMeeting": "members",
    "markMeetingHeld": "members",
    "markMeetingMissed": "members",
    "addMeetingResource": "members",
    "getReflection": "author",
    "putReflection": "own_reflection",
    "listGoals": "pair",
    "createGoal": "members",
    "getGoal": "pair",
    "reviseGoal": "members",
    "startGoal": "members",
    "recordGoalProgress": "members",
    "achieveGoal": "members",
    "dropGoal": "members",
    # feedback: check-ins, surveys, concerns
    "submitCheckin": "members",
    "listCheckins": "filtered",
    "getCheckin": "checkin",
    "createSurvey": "program_staff",
    "listSurveys": "reviewers",
    "getSurvey": "survey",
    "reviseSurvey": "survey_staff",
    "openSurvey": "survey_staff",
    "closeSurvey": "survey_staff",
    "respondToSurvey": "survey_respondents",
    "surveyResults": "survey_readers",
    "raiseConcern": "participants",
    "listConcerns": "concerns_filtered",
    "getConcern": "concern",
    "closeConcern": "concern_handler",
    # stories and recognitions
    "writeStory": "participants",
    "listStories": "stories_filtered",
    "getStory": "story",
    "consentToStory": "story_partner",
    "publishStory": "story_approver",
    "unpublishStory": "story_owner",
    "deleteStory": "story_owner",
    "grantRecognition": "pair_staff",
    "listRecognitions": "filtered",
    # metrics
    "programMetrics": "program_metrics",
    "programMetricsCsv": "program_metrics",
    "programReport": "program_metrics",
    "organisationMetrics": "organisation_metrics",
}


def operation_id(route_name: str) -> str:
    """A route's operation id: its handler's name in camelCase (stable, for client generators)."""
    head, *rest = route_name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def rule_of(operation_id: str) -> Rule | None:
    name = OPERATION_ACCESS.get(operation_id)
    return RULES[name] if name is not None else None


def document_access(schema: dict[str, Any]) -> dict[str, Any]:
    """``x-turnabout-access`` and an **Access** sentence on every operation that has a rule."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "operationId" not in operation:
                continue
            rule = rule_of(operation["operationId"])
            if rule is None:
                continue
            operation["x-turnabout-access"] = rule.extension()
            lead = f"**Access:** {rule.sentence}"
            operation["description"] = f"{lead}\n\n{operation.get('description') or ''}".strip()
    return schema
