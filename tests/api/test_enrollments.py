"""Enrollments through the API: voluntary, approved within the pilot, trained, withdrawn, private."""

from __future__ import annotations

from typing import Any

import pytest

from app.domain.actors import Role

API = "/api/v1"
DATES = {"cycle_start": "2027-01-11", "cycle_end": "2027-06-30"}


class Cast:
    """A program coordinator, a few employees, and helpers to drive one program."""

    def __init__(self, client: Any, org: Any, auth: Any) -> None:
        self.client, self.org, self.auth = client, org, auth
        self.ids: dict[str, str] = {}
        self.headers: dict[str, dict[str, str]] = {}

    async def person(self, name: str, *roles: Role, **fields: Any) -> dict[str, str]:
        self.ids[name] = str(await self.org.person(name, **fields))
        self.headers[name] = dict(self.auth(self.org.email(name), *roles))
        return self.headers[name]

    async def program(self, *, open_: bool = True, **fields: Any) -> str:
        body = {"kind": "reciprocal", "name": "Generations Exchange", **DATES, **fields}
        created = await self.client.post(f"{API}/programs", headers=self.headers["Hana Coordinator"], json=body)
        assert created.status_code == 201, created.text
        program_id = str(created.json()["id"])
        if open_:
            opened = await self.client.post(
                f"{API}/programs/{program_id}/transitions",
                headers=self.headers["Hana Coordinator"],
                json={"to": "enrolling"},
            )
            assert opened.status_code == 200, opened.text
        return program_id

    async def enrol(self, program_id: str, who: str, **body: Any) -> Any:
        payload = {"role_preference": "both", **body}
        return await self.client.post(
            f"{API}/programs/{program_id}/enrollments", headers=self.headers[who], json=payload
        )

    async def action(self, program_id: str, enrollment_id: str, verb: str, who: str, **kwargs: Any) -> Any:
        return await self.client.post(
            f"{API}/programs/{program_id}/enrollments/{enrollment_id}/{verb}", headers=self.headers[who], **kwargs
        )

    async def listing(self, program_id: str, who: str = "Hana Coordinator") -> list[dict[str, Any]]:
        response = await self.client.get(f"{API}/programs/{program_id}/enrollments", headers=self.headers[who])
        assert response.status_code == 200, response.text
        return list(response.json()["items"])


@pytest.fixture
async def cast(client: Any, org: Any, auth: Any) -> Cast:
    cast = Cast(client, org, auth)
    await cast.person("Hana Coordinator", Role.COORDINATOR)
    await cast.person("Sam Junior", seniority=1)
    await cast.person("Pat Senior", seniority=7)
    return cast


# --- voluntary -----------------------------------------------------------------------------------
async def test_an_employee_enrols_themself(cast) -> None:
    program = await cast.program()
    implicit = await cast.enrol(program, "Sam Junior", motivation="Learn to lead")
    assert implicit.status_code == 201, implicit.text
    assert implicit.json()["person_id"] == cast.ids["Sam Junior"]
    assert implicit.json()["status"] == "applied"
    assert implicit.headers["Location"].endswith(implicit.json()["id"])

    explicit = await cast.enrol(program, "Pat Senior", person_id=cast.ids["Pat Senior"])
    assert explicit.status_code == 201
    assert explicit.json()["person_id"] == cast.ids["Pat Senior"]


@pytest.mark.parametrize("who", ["Sam Junior", "Hana Coordinator", "Ada Admin", "HR Integration"])
async def test_nobody_enrols_someone_else(cast, who) -> None:
    if who == "Ada Admin":
        await cast.person("Ada Admin", Role.ADMIN)
    if who == "HR Integration":  # an identity that is not a person at all
        cast.headers[who] = dict(cast.auth("hris@example.com", Role.INTEGRATION, Role.ADMIN))
    program = await cast.program()

    response = await cast.enrol(program, who, person_id=cast.ids["Pat Senior"])
    assert response.status_code == 403, response.text
    # an integration is refused at the door: enrolling is no integration's scope
    assert response.json()["code"] == ("insufficient_scope" if who == "HR Integration" else "enrol_only_yourself")
    assert await cast.listing(program) == []
    mine = await cast.client.get(f"{API}/me/enrollments", headers=cast.headers["Pat Senior"])
    assert mine.json()["items"] == []


async def test_coordinators_invite_and_the_invitee_decides(cast) -> None:
    program = await cast.program()
    url = f"{API}/programs/{program}/invitations"
    invited = await cast.client.post(
        url, headers=cast.headers["Hana Coordinator"], json={"person_id": cast.ids["Pat Senior"], "message": "Join?"}
    )
    assert invited.status_code == 201, invited.text
    assert await cast.listing(program) == []  # an invitation enrols nobody

    by_employee = await cast.client.post(
        url, headers=cast.headers["Sam Junior"], json={"person_id": cast.ids["Pat Senior"]}
    )
    assert by_employee.status_code == 403
    assert by_employee.json()["code"] == "invite_forbidden"

    accepted = await cast.enrol(program, "Pat Senior")
    assert accepted.status_code == 201
    assert [e["person_id"] for e in await cast.listing(program)] == [cast.ids["Pat Senior"]]


async def test_enrolment_needs_an_open_program(cast) -> None:
    program = await cast.program(open_=False)
    response = await cast.enrol(program, "Sam Junior")
    assert response.status_code == 409
    assert response.json()["code"] == "enrolment_closed"


async def test_one_live_enrollment_per_person_and_program(cast) -> None:
    program = await cast.program()
    first = (await cast.enrol(program, "Sam Junior")).json()
    again = await cast.enrol(program, "Sam Junior")
    assert again.status_code == 409
    assert again.json()["code"] == "already_enrolled"

    await cast.action(program, first["id"], "withdraw", "Sam Junior", json={})
    after_withdrawal = await cast.enrol(program, "Sam Junior")
    assert after_withdrawal.status_code == 201


@pytest.mark.parametrize(
    ("kind", "role", "ok"),
    [
        ("reverse", "mentor", True),
        ("reverse", "mentee", True),
        ("reverse", "both", False),
        ("reciprocal", "both", True),
        ("reciprocal", "mentor", False),
        ("reciprocal", "mentee", False),
    ],
)
async def test_the_role_preference_must_fit_the_program_kind(cast, kind, role, ok) -> None:
    program = await cast.program(kind=kind)
    response = await cast.enrol(program, "Sam Junior", role_preference=role)
    if ok:
        assert response.status_code == 201, response.text
        return
    assert response.status_code == 422
    assert response.json()["code"] == "role_preference_not_allowed"
    assert [e["path"] for e in response.json()["errors"]] == ["role_preference"]
    assert await cast.listing(program) == []


async def test_unknown_skills_are_refused_with_their_paths(cast) -> None:
    created = await cast.client.post(
        f"{API}/skills", headers=cast.headers["Hana Coordinator"], json={"name": "TikTok", "category": "social_media"}
    )
    skill = created.json()["id"]
    ghost, other_ghost = "0190a1b2-0000-7000-8000-00000000000a", "0190a1b2-0000-7000-8000-00000000000b"
    program = await cast.program()

    refused = await cast.enrol(program, "Sam Junior", skills_offered=[skill, ghost], skills_wanted=[other_ghost])
    assert refused.status_code == 422
    assert refused.json()["code"] == "skill_unknown"
    assert [e["path"] for e in refused.json()["errors"]] == ["skills_offered[1]", "skills_wanted[0]"]
    assert await cast.listing(program) == []

    accepted = await cast.enrol(program, "Sam Junior", skills_offered=[skill, skill])
    assert accepted.status_code == 201
    assert accepted.json()["skills_offered"] == [skill]


@pytest.mark.parametrize(
    ("field", "value", "path"),
    [
        ("availability", ["someday"], "body.availability.0"),
        ("meeting_modes", ["telepathy"], "body.meeting_modes.0"),
        ("skills_wanted", ["not-a-uuid"], "body.skills_wanted.0"),
    ],
)
async def test_malformed_profiles_are_refused(cast, field, value, path) -> None:
    program = await cast.program()
    response = await cast.enrol(program, "Sam Junior", **{field: value})
    assert response.status_code == 422
    assert path in [e["path"] for e in response.json()["errors"]]


# --- approval, training, capacity -------------------------------------------------------------------
async def test_approval_without_training_makes_the_enrollment_ready(cast) -> None:
    program = await cast.program()
    enrollment = (await cast.enrol(program, "Sam Junior")).json()
    approved = await cast.action(program, enrollment["id"], "approve", "Hana Coordinator")
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "ready"
    assert approved.json()["approved_at"] is not None


async def test_with_training_required_an_enrollment_is_ready_only_after_training(cast) -> None:
    program = await cast.program(training_required=True)
    enrollment = (await cast.enrol(program, "Sam Junior")).json()
    approved = await cast.action(program, enrollment["id"], "approve", "Hana Coordinator")
    assert approved.json()["status"] == "approved"
    trained = await cast.action(program, enrollment["id"], "training-completion", "Hana Coordinator")
    assert trained.status_code == 200, trained.text
    assert trained.json()["status"] == "ready"
    assert trained.json()["training_completed_at"] is not None
    twice = await cast.action(program, enrollment["id"], "training-completion", "Hana Coordinator")
    assert twice.status_code == 409
    assert twice.json()["code"] == "training_already_recorded"

    # Trained before approval: approval makes it ready at once.
    early = (await cast.enrol(program, "Pat Senior")).json()
    await cast.action(program, early["id"], "training-completion", "Hana Coordinator")
    assert (await cast.action(program, early["id"], "approve", "Hana Coordinator")).json()["status"] == "ready"


async def test_participants_neither_approve_nor_record_training(cast) -> None:
    program = await cast.program(training_required=True)
    enrollment = (await cast.enrol(program, "Sam Junior")).json()
    approve = await cast.action(program, enrollment["id"], "approve", "Sam Junior")
    assert approve.status_code == 403
    assert approve.json()["code"] == "approve_forbidden"
    training = await cast.action(program, enrollment["id"], "training-completion", "Sam Junior")
    assert training.status_code == 403
    assert training.json()["code"] == "training_forbidden"
    mine = await cast.client.get(
        f"{API}/programs/{program}/enrollments/{enrollment['id']}", headers=cast.headers["Sam Junior"]
    )
    assert mine.json()["status"] == "applied"


async def test_the_pilot_capacity_is_respected(cast) -> None:
    await cast.person("Kim Third")
    program = await cast.program(pilot_capacity=2)
    sam, pat, kim = [(await cast.enrol(program, who)).json() for who in ("Sam Junior", "Pat Senior", "Kim Third")]
    for enrollment in (sam, pat):
        assert (await cast.action(program, enrollment["id"], "approve", "Hana Coordinator")).status_code == 200

    full = await cast.action(program, kim["id"], "approve", "Hana Coordinator")
    assert full.status_code == 409
    assert full.json()["code"] == "pilot_capacity_reached"
    waiting = await cast.client.get(
        f"{API}/programs/{program}/enrollments/{kim['id']}", headers=cast.headers["Hana Coordinator"]
    )
    assert (waiting.json()["status"], waiting.json()["version"]) == ("applied", kim["version"])

    # A place freed by a withdrawal can be given to the waiting application.
    await cast.action(program, pat["id"], "withdraw", "Pat Senior", json={"reason": "New job"})
    assert (await cast.action(program, kim["id"], "approve", "Hana Coordinator")).json()["status"] == "ready"


async def test_withdrawal_keeps_the_history_and_is_final(cast) -> None:
    program = await cast.program()
    enrollment = (await cast.enrol(program, "Sam Junior")).json()
    await cast.action(program, enrollment["id"], "approve", "Hana Coordinator")
    withdrawn = await cast.action(program, enrollment["id"], "withdraw", "Sam Junior", json={"reason": " Workload "})
    assert withdrawn.status_code == 200, withdrawn.text
    body = withdrawn.json()
    assert (body["status"], body["withdrawal_reason"]) == ("withdrawn", "Workload")
    assert body["approved_at"] is not None and body["withdrawn_at"] is not None

    again = await cast.action(program, enrollment["id"], "withdraw", "Sam Junior", json={})
    assert again.status_code == 409
    assert again.json()["code"] == "illegal_enrollment_transition"
    approve = await cast.action(program, enrollment["id"], "approve", "Hana Coordinator")
    assert approve.status_code == 409


async def test_a_coordinator_may_withdraw_an_enrollment_but_another_employee_may_not(cast) -> None:
    program = await cast.program()
    sam = (await cast.enrol(program, "Sam Junior")).json()
    by_peer = await cast.action(program, sam["id"], "withdraw", "Pat Senior", json={})
    assert by_peer.status_code == 404
    by_coordinator = await cast.action(program, sam["id"], "withdraw", "Hana Coordinator", json={"reason": "On leave"})
    assert by_coordinator.json()["status"] == "withdrawn"


# --- privacy ------------------------------------------------------------------------------------------
async def test_a_participant_lists_only_their_own_enrollments(cast) -> None:
    program = await cast.program()
    sam = (await cast.enrol(program, "Sam Junior")).json()
    pat = (await cast.enrol(program, "Pat Senior")).json()

    assert [e["id"] for e in await cast.listing(program, "Sam Junior")] == [sam["id"]]
    assert [e["id"] for e in await cast.listing(program, "Pat Senior")] == [pat["id"]]
    assert {e["id"] for e in await cast.listing(program)} == {sam["id"], pat["id"]}
    mine = await cast.client.get(f"{API}/me/enrollments", headers=cast.headers["Sam Junior"])
    assert [e["id"] for e in mine.json()["items"]] == [sam["id"]]


async def test_someone_elses_enrollment_does_not_exist_for_you(cast) -> None:
    program = await cast.program()
    pat = (await cast.enrol(program, "Pat Senior")).json()
    url = f"{API}/programs/{program}/enrollments/{pat['id']}"
    sam = cast.headers["Sam Junior"]

    read = await cast.client.get(url, headers=sam)
    assert read.status_code == 404
    assert read.json()["code"] == "enrollment_not_found"
    edit = await cast.client.patch(url, headers=sam, json={"motivation": "mine now"})
    assert edit.status_code == 404
    assert (await cast.client.get(url, headers=cast.headers["Pat Senior"])).json()["motivation"] == ""


async def test_an_enrollment_is_found_only_under_its_own_program(cast) -> None:
    first, second = await cast.program(), await cast.program()
    enrollment = (await cast.enrol(first, "Sam Junior")).json()
    response = await cast.client.get(
        f"{API}/programs/{second}/enrollments/{enrollment['id']}", headers=cast.headers["Hana Coordinator"]
    )
    assert response.status_code == 404


async def test_the_person_edits_their_profile_until_matched(cast) -> None:
    program = await cast.program(kind="reverse")
    enrollment = (await cast.enrol(program, "Sam Junior", role_preference="mentor")).json()
    url = f"{API}/programs/{program}/enrollments/{enrollment['id']}"
    edited = await cast.client.patch(
        url,
        headers={**cast.headers["Sam Junior"], "If-Match": '"v1"'},
        json={"interests": ["Photography", "photography "], "availability": ["fri-pm", "mon-am"]},
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["interests"] == ["photography"]
    assert edited.json()["availability"] == ["fri-pm", "mon-am"]
    assert edited.headers["ETag"] == '"v2"'

    wrong_role = await cast.client.patch(url, headers=cast.headers["Sam Junior"], json={"role_preference": "both"})
    assert wrong_role.status_code == 422
    assert wrong_role.json()["code"] == "role_preference_not_allowed"
    assert (await cast.client.get(url, headers=cast.headers["Sam Junior"])).json()["role_preference"] == "mentor"


async def test_a_stale_if_match_on_approval_changes_nothing(cast) -> None:
    program = await cast.program()
    enrollment = (await cast.enrol(program, "Sam Junior")).json()
    url = f"{API}/programs/{program}/enrollments/{enrollment['id']}"
    await cast.client.patch(url, headers=cast.headers["Sam Junior"], json={"motivation": "Updated"})

    stale = await cast.client.post(f"{url}/approve", headers={**cast.headers["Hana Coordinator"], "If-Match": '"v1"'})
    assert stale.status_code == 412
    assert stale.json()["code"] == "stale_version"
    now = (await cast.client.get(url, headers=cast.headers["Hana Coordinator"])).json()
    assert (now["status"], now["version"]) == ("applied", 2)


async def test_a_person_who_left_cannot_enrol(cast) -> None:
    await cast.person("Ada Admin", Role.ADMIN)
    program = await cast.program()
    await cast.client.post(f"{API}/people/{cast.ids['Sam Junior']}/deactivate", headers=cast.headers["Ada Admin"])
    response = await cast.enrol(program, "Sam Junior")
    assert response.status_code == 403
    assert response.json()["code"] == "actor_not_a_person"
