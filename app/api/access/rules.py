"""The access rules themselves: the kinds of caller, a rule (what each caller gets and which scope admits an
integration) and every rule by name. Which operation names which rule is in the router modules beside this one."""

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
