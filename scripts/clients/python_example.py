"""A short program written against the Python client that openapi-python-client generates from
``openapi/openapi.json`` (package ``turnabout_client``). CI generates the client and checks this
file with ``mypy --strict``: a contract change that breaks Python clients fails the build."""

from __future__ import annotations

import datetime
import os
from uuid import UUID

from turnabout_client import AuthenticatedClient
from turnabout_client.api.meetings import schedule_meeting
from turnabout_client.api.programs import list_programs
from turnabout_client.models import MeetingCreate, MeetingMode, MeetingOut, Problem, ProgramList, ProgramStatus


def enrolling_programs(client: AuthenticatedClient) -> list[str]:
    """The names of the programs open for enrolment, following the cursor to the end."""
    names: list[str] = []
    cursor: str | None = None
    while True:
        page = list_programs.sync(client=client, status=ProgramStatus.ENROLLING, limit=100, cursor=cursor)
        if not isinstance(page, ProgramList):
            raise RuntimeError(f"listing programs failed: {page.code if isinstance(page, Problem) else 'no answer'}")
        names.extend(program.name for program in page.items)
        if not isinstance(page.next_cursor, str):
            return names
        cursor = page.next_cursor


def schedule_video_call(client: AuthenticatedClient, relationship_id: UUID, starts_at: datetime.datetime) -> MeetingOut:
    """Only ``starts_at`` is required: the duration and agenda have server-side defaults."""
    body = MeetingCreate(starts_at=starts_at, mode=MeetingMode.VIDEO)
    answer = schedule_meeting.sync(relationship_id=relationship_id, client=client, body=body)
    if isinstance(answer, Problem):
        raise RuntimeError(f"{answer.code}: {answer.detail}")
    if answer is None:
        raise RuntimeError("no answer")
    return answer


def main() -> None:
    client = AuthenticatedClient(
        base_url=os.environ.get("TURNABOUT_URL", "http://127.0.0.1:8000"), token=os.environ["TOKEN"]
    )
    for name in enrolling_programs(client):
        print(name)


if __name__ == "__main__":
    main()
