"""What the benchmark asks for, prepared through the public API of a freshly seeded demo organisation.

The demo organisation has people, two programs and enrollments but no pair, so a pair with a history
is made the way a coordinator and two colleagues would: the reciprocal program moves to ``matching``,
two enrollments get their training recorded, the coordinator pairs a junior with a senior (trying the
next candidates when a hard constraint refuses a pair), both accept, and the junior records six past
meetings (five held, one led by the other member than planned, one missed) and schedules three more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import product
from typing import Any

import httpx

API = "/api/v1"


@dataclass(frozen=True)
class Targets:
    """The ids the cases read: a person, a program with many enrollments, a pair with meetings; and
    the staff member new people report to."""

    person_id: str
    manager_id: str
    program_id: str
    relationship_id: str


class SetupFailed(RuntimeError):
    pass


def coordinator_email(seed_output: str) -> str:
    """``turnabout seed-demo`` names the demo coordinator on its last line."""
    found = re.search(r"Coordinator:\s*(\S+@\S+)", seed_output)
    if found is None:
        raise SetupFailed(f"seed-demo did not name a coordinator: {seed_output!r}")
    return found.group(1)


def _ok(response: httpx.Response, *statuses: int) -> Any:
    if response.status_code not in (statuses or (200,)):
        raise SetupFailed(
            f"{response.request.method} {response.request.url.path}: {response.status_code} {response.text}"
        )
    return response.json()


class Organisation:
    """A client of the service acting as the demo coordinator (admin and coordinator roles)."""

    def __init__(self, base_url: str, token: str, token_for: Any) -> None:
        self.http = httpx.Client(base_url=base_url + API, headers={"Authorization": f"Bearer {token}"}, timeout=30)
        self.token_for = token_for  # email -> an employee's bearer token (the `turnabout dev-token` CLI)

    def close(self) -> None:
        self.http.close()

    def prepare(self) -> Targets:
        me = _ok(self.http.get("/me"))
        people = _ok(self.http.get("/people", params={"limit": 50}))["items"]
        others = [p for p in people if p["id"] != me["id"]]
        if not others:
            raise SetupFailed("the demo organisation has no one but the coordinator")
        programs = _ok(self.http.get("/programs", params={"limit": 50}))["items"]
        if not programs:
            raise SetupFailed("the demo organisation has no program")
        sizes = {p["id"]: len(self._enrollments(p["id"])) for p in programs}
        largest = max(programs, key=lambda p: sizes[p["id"]])
        paired = next((p for p in programs if p["kind"] == "reciprocal"), programs[0])
        relationship_id = self._pair_with_history(paired)
        return Targets(
            person_id=others[len(others) // 2]["id"],
            manager_id=me["id"],
            program_id=largest["id"],
            relationship_id=relationship_id,
        )

    def _enrollments(self, program_id: str, *statuses: str) -> list[dict[str, Any]]:
        params: dict[str, Any] = {"limit": 200}
        if statuses:
            params["status"] = list(statuses)
        return list(_ok(self.http.get(f"/programs/{program_id}/enrollments", params=params))["items"])

    def _pair_with_history(self, program: dict[str, Any]) -> str:
        for to in {"draft": ("enrolling", "matching"), "enrolling": ("matching",)}.get(program["status"], ()):
            _ok(self.http.post(f"/programs/{program['id']}/transitions", json={"to": to}))
        candidates = self._enrollments(program["id"], "approved", "ready")
        seniority = {e["id"]: self._person(e["person_id"])["seniority"] for e in candidates}
        by_grade = sorted(candidates, key=lambda e: seniority[e["id"]])
        juniors, seniors = by_grade[: len(by_grade) // 2], by_grade[len(by_grade) // 2 :][::-1]
        refusals: list[str] = []
        for junior, senior in list(product(juniors[:6], seniors[:6])):
            for enrollment in (junior, senior):
                if enrollment["status"] == "approved":
                    path = f"/programs/{program['id']}/enrollments/{enrollment['id']}/training-completion"
                    enrollment.update(_ok(self.http.post(path)))
            proposed = self.http.post(
                "/relationships",
                json={"program_id": program["id"], "enrollment_ids": [junior["id"], senior["id"]]},
            )
            if proposed.status_code == 201:
                relationship = proposed.json()
                self._accept_and_meet(relationship, junior["person_id"], senior["person_id"])
                return str(relationship["id"])
            refusals.append(proposed.text[:300])
        raise SetupFailed(f"no pair could be made in {program['name']!r}: {refusals[-3:]}")

    def _person(self, person_id: str) -> dict[str, Any]:
        return dict(_ok(self.http.get(f"/people/{person_id}")))

    def _accept_and_meet(self, relationship: dict[str, Any], junior_id: str, senior_id: str) -> None:
        base = f"/relationships/{relationship['id']}"
        members = {}
        for person_id in (junior_id, senior_id):
            token = self.token_for(self._person(person_id)["email"])
            members[person_id] = {"Authorization": f"Bearer {token}"}
            _ok(self.http.post(base + "/accept", headers=members[person_id]))
        junior = members[junior_id]
        now = datetime.now(UTC).replace(microsecond=0)
        past = [
            _ok(self.http.post(base + "/meetings", headers=junior, json=_meeting(now - timedelta(days=14 * n))), 201)
            for n in range(6, 0, -1)
        ]
        for index, meeting in enumerate(past):
            path = f"/meetings/{meeting['id']}"
            if index == 2:
                _ok(self.http.post(path + "/missed", headers=junior))
                continue
            planned = _ok(self.http.get(path, headers=junior))["planned_leader_id"]
            led_by = planned if index != 3 else (junior_id if planned == senior_id else senior_id)  # one drift
            _ok(self.http.post(path + "/held", headers=junior, json={"led_by": led_by}))
        for n in (1, 2, 3):
            _ok(self.http.post(base + "/meetings", headers=junior, json=_meeting(now + timedelta(days=14 * n))), 201)
        turns = _ok(self.http.get(base + "/turns"))
        if (turns["held_turns"], len(turns["planned"])) != (5, 3):
            raise SetupFailed(f"the pair's turns are not as recorded: {turns}")


def _meeting(starts_at: datetime) -> dict[str, Any]:
    return {"starts_at": starts_at.isoformat(), "duration_minutes": 45, "mode": "video", "agenda": "Turn by turn"}
