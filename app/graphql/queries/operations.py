"""Operations: background jobs and webhook endpoints with their messages."""

from __future__ import annotations

from uuid import UUID

import strawberry

from app.domain import jobs as job_domain
from app.domain import webhooks as webhook_domain
from app.graphql.checks import Checks
from app.graphql.connections import Connection, page_request
from app.graphql.context import Info
from app.graphql.described import rules_of
from app.graphql.enums import (
    JobState,
    WebhookMessageStatus,
)
from app.graphql.resolve import one, query
from app.graphql.types.jobs import Job
from app.graphql.types.webhooks import WebhookEndpoint, WebhookMessage, WebhookSecret
from app.services import (
    jobs as jobs_cases,
)
from app.services import (
    webhooks as webhooks_cases,
)


@strawberry.type
class OperationsQueries:
    @strawberry.field(description=rules_of(jobs_cases.get_job))
    async def job(self, info: Info, id: UUID) -> Job | None:
        found = await one(info, jobs_cases.get_job, job_id=id)
        return None if found is None else Job.of(found)

    @strawberry.field(description=rules_of(jobs_cases.list_jobs))
    async def jobs(
        self,
        info: Info,
        state: JobState | None = None,
        kind: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Job]:
        checks = Checks("")
        checks.optional_text("kind", kind, max_length=100)
        checks.done()
        flt = job_domain.JobFilter(state=None if state is None else job_domain.JobState(state.value), kind=kind)
        page = await query(info, jobs_cases.list_jobs, flt=flt, page=page_request(first, after))
        return Connection.of(page, Job.of, lambda j: j.id)

    @strawberry.field(description=rules_of(webhooks_cases.get_webhook_endpoint))
    async def webhook_endpoint(self, info: Info, id: UUID) -> WebhookEndpoint | None:
        found = await one(info, webhooks_cases.get_webhook_endpoint, endpoint_id=id)
        return None if found is None else WebhookEndpoint.of(found)

    @strawberry.field(description=rules_of(webhooks_cases.get_webhook_endpoint))
    async def webhook_secret(self, info: Info, id: UUID) -> WebhookSecret | None:
        found = await one(info, webhooks_cases.get_webhook_endpoint, endpoint_id=id)
        return None if found is None else WebhookSecret.of(found)

    @strawberry.field(description=rules_of(webhooks_cases.list_webhook_endpoints))
    async def webhook_endpoints(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[WebhookEndpoint]:
        page = await query(info, webhooks_cases.list_webhook_endpoints, page=page_request(first, after))
        return Connection.of(page, WebhookEndpoint.of, lambda e: e.id)

    @strawberry.field(description=rules_of(webhooks_cases.list_webhook_messages))
    async def webhook_messages(
        self,
        info: Info,
        endpoint_id: UUID,
        status: WebhookMessageStatus | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[WebhookMessage]:
        wanted = None if status is None else webhook_domain.MessageStatus(status.value)
        page = await query(
            info,
            webhooks_cases.list_webhook_messages,
            endpoint_id=endpoint_id,
            status=wanted,
            page=page_request(first, after),
        )
        return Connection.of(page, lambda m: WebhookMessage.of(m), lambda m: m.id)

    @strawberry.field(description=rules_of(webhooks_cases.get_webhook_message))
    async def webhook_message(self, info: Info, endpoint_id: UUID, id: UUID) -> WebhookMessage | None:
        found = await one(info, webhooks_cases.get_webhook_message, endpoint_id=endpoint_id, message_id=id)
        return None if found is None else WebhookMessage.of(found.message, found.attempts)
