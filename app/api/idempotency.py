"""``Idempotency-Key`` on creates: a replay returns the first response; the same key with another
body is refused with 422 ``idempotency_key_reused``.

The record is reserved, filled with the response and committed in the request's own transaction,
together with what the create wrote (see ``adapters/persistence/idempotency.py``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse

from app.adapters.persistence.idempotency import IdempotencyRecords
from app.api.deps import ActorDep, ContainerDep, request_transaction
from app.bootstrap import Container
from app.domain.actors import Actor
from app.domain.errors import DomainError


class Idempotency:
    def __init__(self, *, actor: Actor, key: str | None, request: Request, container: Container) -> None:
        self.actor = actor
        self.key = key
        self.request = request
        self.container = container

    def _hash(self, body: Any) -> str:
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
        material = f"{self.request.method} {self.request.url.path}\n{canonical}"
        return hashlib.sha256(material.encode()).hexdigest()

    async def run(self, body: Any, create: Callable[[], Awaitable[JSONResponse]]) -> JSONResponse:
        if self.key is None:
            return await create()
        records = IdempotencyRecords(
            request_transaction(self.request).session,
            ttl=timedelta(hours=self.container.settings.idempotency_ttl_hours),
        )
        request_hash = self._hash(body)
        earlier = await records.reserve(
            record_id=self.container.ids.new_id(),
            actor_key=self.actor.key,
            key=self.key,
            method=self.request.method,
            path=self.request.url.path,
            request_hash=request_hash,
            now=self.container.clock.now(),
        )
        if earlier is not None:
            if earlier.request_hash != request_hash:
                raise DomainError(
                    code="idempotency_key_reused",
                    detail="This Idempotency-Key was used with a different request; use a new key.",
                    kind="invalid",
                )
            if earlier.status is None:
                raise DomainError(
                    code="idempotency_key_in_progress",
                    detail="A request with this Idempotency-Key is still being processed; retry shortly.",
                    kind="conflict",
                )
            headers = {**earlier.headers, "Idempotent-Replayed": "true"}
            return JSONResponse(earlier.body, status_code=earlier.status, headers=headers)
        response = await create()
        stored_headers = {k: v for k, v in response.headers.items() if k.lower() in {"etag", "location"}}
        await records.complete(
            actor_key=self.actor.key,
            key=self.key,
            status=response.status_code,
            body=json.loads(bytes(response.body)),
            headers=stored_headers,
        )
        return response


async def idempotency(
    request: Request,
    actor: ActorDep,
    container: ContainerDep,
    key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            min_length=1,
            max_length=255,
            description="Any unique string (a UUID is ideal). Retrying with the same key and body "
            "returns the first response instead of creating twice.",
        ),
    ] = None,
) -> Idempotency:
    return Idempotency(actor=actor, key=key, request=request, container=container)


IdempotencyDep = Annotated[Idempotency, Depends(idempotency)]
