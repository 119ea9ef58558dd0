"""Feedback through GraphQL: the same use cases as REST — anonymous answers, k-anonymous results,
check-ins and concerns hidden from the partner."""

from __future__ import annotations

from typing import Any

from tests.api.feedback.conftest import participants
from tests.api.feedback.test_survey_anonymity import QUESTIONS
from tests.api.mentoring.conftest import World

CREATE = """mutation($programId: UUID!, $input: SurveyInput!) {
  createSurvey(programId: $programId, input: $input) { __typename ... on Survey { id status k } }
}"""
OPEN = "mutation($id: UUID!) { openSurvey(id: $id) { __typename ... on Survey { status } } }"
CLOSE = "mutation($id: UUID!) { closeSurvey(id: $id) { __typename ... on Survey { status respondents } } }"
ANSWER = """mutation($id: UUID!, $answers: JSON!) {
  respondToSurvey(surveyId: $id, answers: $answers) {
    __typename ... on SurveyReceived { received } ... on Conflict { code } ... on Invalid { code }
  }
}"""
RESULTS = """query($id: UUID!) { surveyResults(surveyId: $id) {
  available reason respondents questions { key mean texts } groups { dimension value respondents }
} }"""


def graphql_questions() -> list[dict[str, Any]]:
    return [{**q, "kind": q["kind"].upper(), "options": q.get("options", [])} for q in QUESTIONS]


async def test_a_survey_answered_through_graphql_shows_only_k_anonymous_results(world: World, gql: Any) -> None:
    await world.setup()
    people = await participants(world, ["Sales"] * 6)
    made = await gql(
        CREATE,
        world.coordinator.headers,
        programId=world.program["id"],
        input={"title": "End", "questions": graphql_questions()},
    )
    survey_id = made["createSurvey"]["id"]
    assert (await gql(OPEN, world.coordinator.headers, id=survey_id))["openSurvey"]["status"] == "OPEN"
    for i, person in enumerate(people[:5]):
        answered = await gql(ANSWER, person.headers, id=survey_id, answers={"growth": 1 + i, "learned": f"t{i}"})
        assert answered["respondToSurvey"] == {"__typename": "SurveyReceived", "received": True}
    again = await gql(ANSWER, people[0].headers, id=survey_id, answers={"growth": 2})
    assert again["respondToSurvey"] == {"__typename": "Conflict", "code": "survey_already_answered"}
    hidden = await gql(RESULTS, world.coordinator.headers, id=survey_id)
    assert (hidden["surveyResults"]["available"], hidden["surveyResults"]["reason"]) == (
        False,
        "SURVEY_NOT_CLOSED".lower(),
    )
    closed = await gql(CLOSE, world.coordinator.headers, id=survey_id)
    assert closed["closeSurvey"] == {"__typename": "Survey", "status": "CLOSED", "respondents": 5}
    shown = (await gql(RESULTS, world.admin.headers, id=survey_id))["surveyResults"]
    assert shown["respondents"] == 5 and shown["questions"][0]["mean"] == 3.0
    assert sorted(shown["questions"][3]["texts"]) == [f"t{i}" for i in range(5)]
    assert (await gql(RESULTS, people[0].headers, id=survey_id))["surveyResults"] is None


async def test_check_ins_and_concerns_stay_hidden_from_the_partner(world: World, gql: Any) -> None:
    await world.setup()
    pair = await world.pair()
    checkin = await gql(
        """mutation($id: UUID!) { submitCheckin(relationshipId: $id, input: {rating: 4, goingWell: "ok"}) {
             __typename ... on Checkin { id rating } } }""",
        pair.junior.headers,
        id=pair.id,
    )
    checkin_id = checkin["submitCheckin"]["id"]
    concern = await gql(
        """mutation($input: ConcernInput!) { raiseConcern(input: $input) { __typename ... on Concern { id } } }""",
        pair.junior.headers,
        input={"programId": pair.program_id, "relationshipId": pair.id, "kind": "WORKLOAD", "text": "Too much."},
    )
    concern_id = concern["raiseConcern"]["id"]
    read = "query($c: UUID!, $k: UUID!) { checkin(id: $c) { rating } concern(id: $k) { text } }"
    assert await gql(read, pair.senior.headers, c=checkin_id, k=concern_id) == {"checkin": None, "concern": None}
    assert await gql(read, world.coordinator.headers, c=checkin_id, k=concern_id) == {
        "checkin": {"rating": 4},
        "concern": {"text": "Too much."},
    }
