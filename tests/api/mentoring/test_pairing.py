"""Manual pairing keeps matching's hard constraints, and a pair's lifecycle keeps its promises:
a decline or a rematch excludes the pair for good, and people return to the pool."""

from __future__ import annotations


def codes(response) -> set[str]:
    assert response.status_code == 409, response.text
    assert response.json()["code"] == "pair_breaks_constraint"
    return {e["path"] for e in response.json()["errors"]}


async def test_no_pair_inside_a_reporting_line(world, org) -> None:
    await world.setup()
    boss = await world.person("Bo Boss", seniority=9)
    manager = await world.person("Mia Manager", seniority=6, manager_id=boss.id)
    report = await world.person("Ray Report", seniority=2, manager_id=manager.id)
    for person in (boss, manager, report):
        await world.enrol(person)
    assert codes(await world.propose(report, manager)) == {"reporting_line"}
    assert codes(await world.propose(report, boss)) == {"reporting_line"}  # the manager's manager: depth 2


async def test_the_reporting_line_reaches_as_deep_as_the_program_says(world) -> None:
    await world.setup()  # depth 2 by default
    top = await world.person("Tia Top", seniority=10)
    boss = await world.person("Bo Boss", seniority=9, manager_id=top.id)
    manager = await world.person("Mia Manager", seniority=6, manager_id=boss.id)
    report = await world.person("Ray Report", seniority=2, manager_id=manager.id)
    for person in (top, report):
        await world.enrol(person)
    allowed = await world.propose(report, top)  # three levels up: outside the line at depth 2
    assert allowed.status_code == 201, allowed.text


async def test_peers_of_one_manager_may_be_kept_apart(world) -> None:
    await world.setup(matching_rules={"exclude_same_manager_peers": True, "reporting_line_depth": 1})
    manager = await world.person("Mia Manager", seniority=6)
    first = await world.enrol(await world.person("Pia Peer", seniority=2, manager_id=manager.id))
    second = await world.enrol(await world.person("Pol Peer", seniority=4, manager_id=manager.id))
    assert codes(await world.propose(first, second)) == {"same_manager"}


async def test_a_declined_pair_is_never_proposed_again_and_both_return_to_the_pool(client, world) -> None:
    await world.setup()
    pair = await world.pair(accept=False)
    declined = await client.post(f"/api/v1/relationships/{pair.id}/decline", headers=pair.senior.headers)
    assert declined.status_code == 200, declined.text
    assert (declined.json()["status"], declined.json()["end_reason"]) == ("ended", "declined")
    for member in (pair.junior, pair.senior):
        enrollment = await client.get(
            f"/api/v1/programs/{pair.program_id}/enrollments/{member.enrollment_id}", headers=member.headers
        )
        assert enrollment.json()["status"] == "ready"
    assert codes(await world.propose(pair.junior, pair.senior)) == {"excluded_pair"}


async def test_a_rematch_excludes_the_pair_and_a_mismatch_does_not(client, world) -> None:
    await world.setup()
    rematched = await world.pair()
    ended = await client.post(
        f"/api/v1/relationships/{rematched.id}/end", headers=world.coordinator.headers, json={"reason": "rematch"}
    )
    assert (ended.status_code, ended.json()["end_reason"]) == (200, "rematch")
    assert codes(await world.propose(rematched.junior, rematched.senior)) == {"excluded_pair"}

    mismatched = await world.pair()
    await client.post(
        f"/api/v1/relationships/{mismatched.id}/end", headers=world.coordinator.headers, json={"reason": "mismatch"}
    )
    assert (await world.propose(mismatched.junior, mismatched.senior)).status_code == 201


async def test_reverse_programs_pair_a_junior_mentor_with_a_senior_mentee(world) -> None:
    await world.setup(kind="reverse", policy="fixed", matching_rules={"min_seniority_gap": 2})
    mentor = await world.enrol(await world.person("Jo Mentor", seniority=5), role="mentor")
    close = await world.enrol(await world.person("Kim Mentee", seniority=6), role="mentee")
    senior = await world.enrol(await world.person("Lou Mentee", seniority=9), role="mentee")
    other_mentor = await world.enrol(await world.person("Max Mentor", seniority=1), role="mentor")
    assert codes(await world.propose(mentor, close)) == {"seniority_gap"}
    assert codes(await world.propose(mentor, other_mentor)) == {"role_mismatch"}
    made = await world.propose(senior, mentor)  # order does not matter: the mentor is the junior
    assert made.status_code == 201, made.text
    body = made.json()
    assert (body["designated_mentor_id"], body["senior_member_id"]) == (mentor.id, senior.id)
    assert body["effective_policy"] == "fixed"


async def test_nobody_gets_more_partners_than_the_program_allows(world) -> None:
    await world.setup(max_relationships_per_person=2)
    hub = await world.enrol(await world.person("Hal Hub", seniority=8))
    partners = [await world.enrol(await world.person(f"Pat {n}", seniority=2)) for n in range(3)]
    for partner in partners[:2]:
        assert (await world.propose(partner, hub)).status_code == 201
    assert codes(await world.propose(partners[2], hub)) == {"at_capacity"}
    assert codes(await world.propose(partners[0], hub)) == {"at_capacity", "already_paired"}


async def test_one_partner_per_person_by_default(world) -> None:
    await world.setup()
    pair = await world.pair(accept=False)
    newcomer = await world.enrol(await world.person("Nell New", seniority=4))
    assert codes(await world.propose(newcomer, pair.senior)) == {"at_capacity"}


async def test_pairs_are_made_while_the_program_matches_from_ready_enrollments(client, world) -> None:
    await world.setup()
    junior = await world.enrol(await world.person("Sam Junior", seniority=2))
    senior = await world.enrol(await world.person("Vera Senior", seniority=7))
    await client.post(
        f"/api/v1/programs/{world.program['id']}/transitions",
        headers=world.coordinator.headers,
        json={"to": "enrolling"},
    )
    closed = await world.propose(junior, senior)
    assert (closed.status_code, closed.json()["code"]) == (409, "program_not_matching")
    await client.post(
        f"/api/v1/programs/{world.program['id']}/transitions",
        headers=world.coordinator.headers,
        json={"to": "matching"},
    )
    same = await world.propose(junior, junior)
    assert (same.status_code, same.json()["code"]) == (422, "same_enrollment_twice")
    elsewhere = await world.enrol(await world.person("Eli Elsewhere", seniority=5), world.other_program)
    foreign = await world.propose(junior, elsewhere)
    assert (foreign.status_code, foreign.json()["code"]) == (422, "enrollment_unknown")
    applied = await client.post(
        f"/api/v1/programs/{world.program['id']}/transitions",
        headers=world.coordinator.headers,
        json={"to": "enrolling"},
    )
    assert applied.status_code == 200
    waiting = await world.person("Wes Waiting", seniority=5)
    enrollment = await client.post(
        f"/api/v1/programs/{world.program['id']}/enrollments", headers=waiting.headers, json={"role_preference": "both"}
    )
    await client.post(
        f"/api/v1/programs/{world.program['id']}/transitions",
        headers=world.coordinator.headers,
        json={"to": "matching"},
    )
    waiting.enrollment_id = enrollment.json()["id"]
    not_ready = await world.propose(junior, waiting)
    assert (not_ready.status_code, not_ready.json()["code"]) == (409, "enrollment_not_ready")


async def test_when_a_member_leaves_the_organisation_the_pair_ends_and_the_partner_returns(client, world) -> None:
    await world.setup()
    pair = await world.pair()
    left = await client.post(f"/api/v1/people/{pair.senior.id}/deactivate", headers=world.admin.headers)
    assert left.status_code == 200, left.text
    relationship = await client.get(f"/api/v1/relationships/{pair.id}", headers=world.coordinator.headers)
    assert (relationship.json()["status"], relationship.json()["end_reason"]) == ("ended", "left_organisation")
    enrollment = await client.get(
        f"/api/v1/programs/{pair.program_id}/enrollments/{pair.junior.enrollment_id}", headers=pair.junior.headers
    )
    assert enrollment.json()["status"] == "ready"
