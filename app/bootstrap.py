"""The composition root: builds the adapters once and hands out units of work.

Used by the web app's lifespan, the CLI and the tests, so all three run the same wiring.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.adapters.auth.actors import ActorResolver
from app.adapters.auth.api_keys import ApiKeyAuthenticator
from app.adapters.auth.dev_issuer import DevAuthorizations
from app.adapters.auth.keys import DevSigningKey, KeySource, RemoteJwks
from app.adapters.auth.throttle import FailureThrottle
from app.adapters.auth.tokens import TokenValidator
from app.adapters.persistence.db import DatabaseStatus, make_engine, make_session_factory
from app.adapters.persistence.jobs import JobStore, JobWakeup
from app.adapters.persistence.outbox_feed import OutboxFeed
from app.adapters.persistence.transaction import CommitListener, RequestTransaction
from app.adapters.persistence.unit_of_work import SqlUnitOfWork
from app.adapters.system import SystemClock, UUID7Generator
from app.adapters.webhooks.sender import AddressGuard, AiohttpWebhookSender
from app.domain.ports import Clock, IdGenerator
from app.settings import Settings


@dataclass
class Container:
    settings: Settings
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    read_session_factory: async_sessionmaker[AsyncSession]
    http: httpx.AsyncClient
    validator: TokenValidator
    actors: ActorResolver
    api_keys: ApiKeyAuthenticator
    throttle: FailureThrottle
    dev_key: DevSigningKey | None
    outbox_feed: OutboxFeed
    webhook_sender: AiohttpWebhookSender
    dev_authorizations: DevAuthorizations | None = None
    clock: Clock = field(default_factory=SystemClock)
    ids: IdGenerator = field(default_factory=UUID7Generator)
    database: DatabaseStatus = field(default_factory=DatabaseStatus)
    job_wakeup: JobWakeup = field(default_factory=JobWakeup)

    def uow(self, *, read_only: bool = False, transaction: RequestTransaction | None = None) -> SqlUnitOfWork:
        """A unit of work of its own (CLI, jobs, tests), or one joining a request's transaction."""
        factory = self.read_session_factory if read_only else self.session_factory
        return SqlUnitOfWork(
            factory,
            clock=self.clock,
            ids=self.ids,
            transaction=transaction,
            listeners=self.listeners,
            wake_jobs=self.job_wakeup.wake,
        )

    def job_store(self) -> JobStore:
        """Where workers claim and settle jobs."""
        return JobStore(self.session_factory, self.read_session_factory, ids=self.ids)

    def transaction(self, *, read_only: bool) -> RequestTransaction:
        """The one transaction of an HTTP request (readers do not take SQLite's write lock)."""
        factory = self.read_session_factory if read_only else self.session_factory
        return RequestTransaction(factory, read_only=read_only, listeners=self.listeners)

    @property
    def listeners(self) -> tuple[CommitListener, ...]:
        """Told after every real commit: caches drop what went stale, live feeds look at once."""
        return (self.actors.observe, self.api_keys.observe, self.outbox_feed.wake)

    async def aclose(self) -> None:
        await self.http.aclose()
        await self.webhook_sender.aclose()
        await self.engine.dispose()


def build_container(settings: Settings, *, engine: AsyncEngine | None = None) -> Container:
    engine = engine or make_engine(
        settings.database_url,
        echo=settings.database_echo,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
    )
    session_factory = make_session_factory(engine)
    # Outbound HTTP: no redirects followed (webhooks, JWKS), bounded time.
    http = httpx.AsyncClient(follow_redirects=False, timeout=httpx.Timeout(15.0))
    dev_key = DevSigningKey(settings.dev_signing_key_path) if settings.dev_issuer_enabled else None
    keys: KeySource
    if dev_key is not None:
        keys = dev_key
    else:
        assert settings.auth_issuer is not None
        keys = RemoteJwks(
            client=http,
            issuer=settings.auth_issuer,
            jwks_url=settings.auth_jwks_url,
            ttl_seconds=settings.auth_jwks_cache_seconds,
            cooldown_seconds=settings.auth_jwks_refetch_cooldown_seconds,
            timeout_seconds=settings.auth_idp_timeout_seconds,
        )
    validator = TokenValidator(
        keys=keys,
        issuer=settings.effective_issuer,
        audience=settings.auth_audience,
        algorithms=settings.auth_algorithms,
        roles_claim=settings.auth_roles_claim,
        email_claim=settings.auth_email_claim,
        leeway_seconds=settings.auth_leeway_seconds,
        groups_claim=settings.auth_groups_claim,
        group_roles=settings.auth_group_roles,
        scopes_claim=settings.auth_scopes_claim,
    )
    read_session_factory = make_session_factory(engine, read_only=True)
    return Container(
        settings=settings,
        engine=engine,
        session_factory=session_factory,
        read_session_factory=read_session_factory,
        http=http,
        validator=validator,
        actors=ActorResolver(
            validator,
            identity_ttl_seconds=settings.identity_cache_seconds,
            emails_authoritative=settings.auth_emails_authoritative,
        ),
        api_keys=ApiKeyAuthenticator(ttl_seconds=settings.api_key_cache_seconds),
        throttle=FailureThrottle(settings.auth_failure_limit),
        dev_key=dev_key,
        dev_authorizations=DevAuthorizations() if dev_key is not None else None,
        outbox_feed=OutboxFeed(read_session_factory, poll_seconds=settings.graphql_subscription_poll_seconds),
        webhook_sender=AiohttpWebhookSender(
            guard=AddressGuard(allowed_networks=settings.webhook_allowed_networks),
            timeout_seconds=settings.webhook_timeout_seconds,
            max_connections=settings.webhook_concurrency,
        ),
    )
