"""The webhook use cases through GraphQL: the same rules and codes as REST, and deliveries that the
endpoint's secret verifies."""

from __future__ import annotations

from typing import Any

from app.domain.actors import Role

RESULT = "__typename ... on Problem { code message }"


async def gql(client: Any, headers: dict[str, str], query: str, **variables: Any) -> dict[str, Any]:
    response = await client.post("/graphql", headers=headers, json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


async def test_admins_manage_endpoints_and_read_the_log_through_graphql(
    client, admin, receiver, deliveries, org, auth
) -> None:
    created = (
        await gql(
            client,
            admin,
            f"""mutation($url: String!) {{ createWebhookEndpoint(input: {{url: $url, eventTypes: ["person.*"]}}) {{
                {RESULT} ... on WebhookEndpoint {{ id eventTypes enabled }} }} }}""",
            url=receiver.url(),
        )
    )["createWebhookEndpoint"]
    assert created["__typename"] == "WebhookEndpoint" and created["eventTypes"] == ["person.*"]
    endpoint_id = created["id"]
    secret = (await gql(client, admin, "query($id: UUID!) { webhookSecret(id: $id) { secret } }", id=endpoint_id))[
        "webhookSecret"
    ]["secret"]
    receiver.secrets.append(secret)
    await org.person("Gql Person")
    await deliveries.run()
    assert [isinstance(r.verified, dict) for r in receiver.requests] == [True]
    log = await gql(
        client,
        admin,
        """query($id: UUID!) { webhookMessages(endpointId: $id, status: DELIVERED) {
            edges { node { id eventType status attempts } } } }""",
        id=endpoint_id,
    )
    [edge] = log["webhookMessages"]["edges"]
    assert edge["node"]["eventType"] == "person.created" and edge["node"]["status"] == "DELIVERED"
    detail = await gql(
        client,
        admin,
        """query($e: UUID!, $id: UUID!) { webhookMessage(endpointId: $e, id: $id) {
            attemptLog { outcome statusCode } } }""",
        e=endpoint_id,
        id=edge["node"]["id"],
    )
    assert detail["webhookMessage"]["attemptLog"] == [{"outcome": "SUCCESS", "statusCode": 200}]

    await org.person("Eve Employee")
    employee = auth(org.email("Eve Employee"), Role.EMPLOYEE)
    refused = (
        await gql(
            client,
            employee,
            f"mutation($id: UUID!) {{ sendWebhookTest(id: $id) {{ {RESULT} }} }}",
            id=endpoint_id,
        )
    )["sendWebhookTest"]
    assert refused == {"__typename": "Forbidden", "code": "webhooks_admin_only", "message": refused["message"]}
    forbidden_url = (
        await gql(
            client,
            admin,
            f'mutation {{ createWebhookEndpoint(input: {{url: "https://169.254.169.254/x"}}) {{ {RESULT} }} }}',
        )
    )["createWebhookEndpoint"]
    assert forbidden_url["code"] == "webhook_url_forbidden"
