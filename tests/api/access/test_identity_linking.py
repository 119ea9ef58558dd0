"""Identity linking that cannot be hijacked: an unknown (issuer, subject) is linked to the person with
the same e-mail only on that person's first sign-in at the issuer, only with a verified e-mail, and
never onto a person who already has a linked identity there. Admins list and unlink identities."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text

from app.domain.actors import Role

API = "/api/v1"


async def private_reflection(client: Any, world: Any) -> tuple[Any, str, str]:
    """A pair whose junior wrote a private reflection on a held meeting: (junior, meeting id, e-mail)."""
    await world.setup()
    pair = await world.pair()
    earlier = (datetime.now(UTC) - timedelta(hours=3)).isoformat()
    made = await client.post(
        f"{API}/relationships/{pair.id}/meetings", headers=pair.junior.headers, json={"starts_at": earlier}
    )
    assert made.status_code == 201, made.text
    meeting = made.json()["id"]
    assert (await client.post(f"{API}/meetings/{meeting}/held", headers=pair.junior.headers)).status_code == 200
    put = await client.put(
        f"{API}/meetings/{meeting}/reflection", headers=pair.junior.headers, json={"text": "my private doubts"}
    )
    assert put.status_code == 200, put.text
    return pair.junior, meeting, world.org.email(pair.junior.name)


async def test_a_second_account_with_the_same_email_is_refused(client, auth, world) -> None:
    _, meeting, email = await private_reflection(client, world)
    intruder = auth(email, sub="someone-else")  # a second account, its e-mail verified
    me = await client.get(f"{API}/me", headers=intruder)
    assert me.status_code == 403
    assert me.json()["code"] == "identity_not_linked"
    read = await client.get(f"{API}/meetings/{meeting}/reflection", headers=intruder)
    assert read.status_code == 403
    assert read.json()["code"] == "identity_not_linked"
    assert "private doubts" not in read.text


async def test_an_admin_who_repoints_an_email_does_not_become_that_person(client, auth, world) -> None:
    junior, meeting, _ = await private_reflection(client, world)
    admin = world.admin.headers
    person = await client.get(f"{API}/people/{junior.id}", headers=admin)
    assert person.status_code == 200
    changed = await client.patch(
        f"{API}/people/{junior.id}",
        headers={**admin, "If-Match": person.headers["ETag"]},
        json={"email": "ada.second@example.com"},
    )
    assert changed.status_code == 200, changed.text
    second = auth("ada.second@example.com", sub="ada-second-account")
    read = await client.get(f"{API}/meetings/{meeting}/reflection", headers=second)
    assert read.status_code == 403
    assert read.json()["code"] == "identity_not_linked"
    assert "private doubts" not in read.text
    own = await client.get(f"{API}/meetings/{meeting}/reflection", headers=junior.headers)
    assert own.json()["text"] == "my private doubts"  # the person's own account still reads it


async def test_an_unverified_email_is_not_linked(client, auth, org) -> None:
    await org.person("Sam Junior")
    unverified = auth(org.email("Sam Junior"), email_verified=False)
    me = await client.get(f"{API}/me", headers=unverified)
    assert me.status_code == 403
    assert me.json()["code"] == "identity_not_linked"
    assert "email_verified" in me.json()["detail"]


async def test_an_idp_declared_authoritative_links_unverified_emails(client, auth, org, container) -> None:
    sam = await org.person("Sam Junior")
    container.actors.emails_authoritative = True
    try:
        me = await client.get(f"{API}/me", headers=auth(org.email("Sam Junior"), email_verified=False))
    finally:
        container.actors.emails_authoritative = False
    assert me.status_code == 200
    assert me.json()["id"] == str(sam)


async def test_first_sign_in_links_once_and_is_announced(client, auth, org, container) -> None:
    sam = await org.person("Sam Junior")
    assert (await client.get(f"{API}/me", headers=auth(org.email("Sam Junior")))).json()["id"] == str(sam)
    container.actors.clear()
    assert (await client.get(f"{API}/me", headers=auth(org.email("Sam Junior")))).status_code == 200
    async with container.engine.connect() as connection:
        linked = (
            await connection.execute(text("SELECT count(*) FROM outbox WHERE event_type = 'person.identity_linked'"))
        ).scalar()
    assert linked == 1


async def test_admins_list_and_unlink_identities_and_the_unlink_is_audited(client, auth, org, container) -> None:
    sam = await org.person("Sam Junior")
    await org.person("Ada Admin")
    admin = auth(org.email("Ada Admin"), Role.ADMIN)
    old = auth(org.email("Sam Junior"), sub="old-laptop-account")
    assert (await client.get(f"{API}/me", headers=old)).status_code == 200

    listed = await client.get(f"{API}/people/{sam}/identities", headers=admin)
    assert listed.status_code == 200
    assert [(i["issuer"], i["subject"]) for i in listed.json()["items"]] == [
        (container.settings.effective_issuer, "old-laptop-account")
    ]
    employee = auth(org.email("Sam Junior"), sub="old-laptop-account")
    refused = await client.get(f"{API}/people/{sam}/identities", headers=employee)
    assert refused.status_code == 403
    assert refused.json()["code"] == "identities_admin_only"

    new = auth(org.email("Sam Junior"), sub="new-account")
    assert (await client.get(f"{API}/me", headers=new)).json()["code"] == "identity_not_linked"
    params = {"issuer": container.settings.effective_issuer, "subject": "old-laptop-account"}
    unlinked = await client.delete(f"{API}/people/{sam}/identities", headers=admin, params=params)
    assert unlinked.status_code == 204
    assert (await client.get(f"{API}/me", headers=new)).json()["id"] == str(sam)  # linked by e-mail, at once
    assert (await client.get(f"{API}/me", headers=old)).json()["code"] == "identity_not_linked"
    again = await client.delete(f"{API}/people/{sam}/identities", headers=admin, params=params)
    assert again.status_code == 404
    assert again.json()["code"] == "identity_not_found"
    async with container.engine.connect() as connection:
        rows = (
            await connection.execute(text("SELECT payload FROM outbox WHERE event_type = 'person.identity_unlinked'"))
        ).all()
    assert len(rows) == 1
