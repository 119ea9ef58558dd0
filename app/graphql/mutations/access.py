"""API keys of integrations: created and revoked by admins (the same use cases as REST)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import strawberry

from app.domain.api_keys import ApiKey as DomainApiKey
from app.graphql.checks import Checks
from app.graphql.context import Info
from app.graphql.described import rules_of
from app.graphql.results import ApiKeyResult, NewApiKeyResult, mutate
from app.graphql.types.access import ApiKey, NewApiKey
from app.services import api_keys


@strawberry.type
class AccessMutations:
    @strawberry.mutation(description=rules_of(api_keys.create_api_key))
    async def create_api_key(
        self,
        info: Info,
        name: str,
        scopes: Annotated[list[str], strawberry.argument(description="e.g. `people:write`, `webhooks:manage`.")],
        expires_at: datetime | None = None,
    ) -> NewApiKeyResult:
        async def act() -> tuple[DomainApiKey, str]:
            checks = Checks("")
            checks.text("name", name, max_length=120)
            checks.done()
            return await info.context.run(api_keys.create_api_key, name=name, scopes=scopes, expires_at=expires_at)

        return await mutate(info, act, lambda made: NewApiKey(api_key=ApiKey.of(made[0]), key=made[1]))

    @strawberry.mutation(description=rules_of(api_keys.revoke_api_key))
    async def revoke_api_key(self, info: Info, id: UUID) -> ApiKeyResult:
        return await mutate(info, lambda: info.context.run(api_keys.revoke_api_key, id), ApiKey.of)
