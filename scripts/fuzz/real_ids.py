"""Collect the ids a caller can really see, so that schemathesis fuzzes existing resources instead of
answering 404 for every random UUID: `python3 real_ids.py URL TOKEN > ids.json`.

Also names an employee of the running pilot (`employee_email`), whose view the second run fuzzes."""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from typing import Any


def get(base: str, token: str, path: str) -> Any:
    request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (the local server)
            return json.load(response)
    except urllib.error.HTTPError:
        return {"items": []}


def items(base: str, token: str, path: str) -> list[dict[str, Any]]:
    page = get(base, token, path + ("&" if "?" in path else "?") + "limit=200")
    return list(page.get("items", []) if isinstance(page, dict) else page)


def main() -> None:
    base, token = sys.argv[1].rstrip("/"), sys.argv[2]
    ids: dict[str, Any] = {"program_id": [], "relationship_id": [], "meeting_id": [], "goal_id": [], "run_id": [],
                           "person_id": [], "skill_id": [], "program_enrollment": [], "member_emails": []}  # fmt: skip
    for program in items(base, token, "/api/v1/programs"):
        ids["program_id"].append(program["id"])
        for enrollment in items(base, token, f"/api/v1/programs/{program['id']}/enrollments"):
            ids["program_enrollment"].append([program["id"], enrollment["id"]])
        ids["run_id"] += [r["id"] for r in items(base, token, f"/api/v1/programs/{program['id']}/matching-runs")]
    for enrollment in items(base, token, "/api/v1/me/enrollments"):
        ids["program_enrollment"].append([enrollment["program_id"], enrollment["id"]])
    ids["skill_id"] = [s["id"] for s in items(base, token, "/api/v1/skills")]
    ids["person_id"] = [p["id"] for p in items(base, token, "/api/v1/people")]
    me = get(base, token, "/api/v1/me")
    if isinstance(me, dict) and "id" in me:
        ids["person_id"].append(me["id"])
    for relationship in items(base, token, "/api/v1/relationships"):
        ids["relationship_id"].append(relationship["id"])
        if relationship["status"] == "active":
            ids["member_emails"] += relationship["member_ids"]
        ids["meeting_id"] += [m["id"] for m in items(base, token, f"/api/v1/relationships/{relationship['id']}/meetings")]
        ids["goal_id"] += [g["id"] for g in items(base, token, f"/api/v1/relationships/{relationship['id']}/goals")]
    members = ids.pop("member_emails")
    people = {p["id"]: p["email"] for p in items(base, token, "/api/v1/people")}
    ids["employee_email"] = next((people[m] for m in members if m in people), None)
    json.dump(ids, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
