"""One Settings object, read from the environment (prefix ``TURNABOUT_``) and an optional ``.env``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./var/turnabout.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TURNABOUT_", env_file=".env", extra="ignore")

    environment: Literal["development", "production"] = "development"
    database_url: str = DEFAULT_DATABASE_URL
    database_echo: bool = False
    # PostgreSQL: connections each process keeps open, and how many more it may open for a burst
    # (each extra one is closed when returned, so a steady load above the pool pays a connection set-up
    # per request: keep the overflow at 0 and size the pool instead). Per process: `serve --workers 4`
    # with the default holds 80; PostgreSQL allows 100 by default.
    database_pool_size: int = Field(default=20, ge=1, le=1000)
    database_max_overflow: int = Field(default=0, ge=0, le=1000)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    log_format: Literal["auto", "json", "console"] = "auto"
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    public_url: str = "http://127.0.0.1:8000"
    # Browser front ends on other origins (CORS): "https://intranet.example.com,https://hr.example.com",
    # or "*" for any origin (bearer tokens are not cookies, so no credentials mode is involved).
    cors_origins: Annotated[list[str], NoDecode] = []

    # --- authentication -------------------------------------------------------------------------
    # In development the app is its own OpenID issuer: it signs tokens with a local key and serves
    # the JWKS at /.well-known/jwks.json; validation then runs exactly the production path.
    auth_issuer: str | None = None  # external IdP issuer; None in development means "self"
    auth_audience: str = "turnabout"
    auth_jwks_url: str | None = None  # override discovery (issuer/.well-known/openid-configuration)
    auth_algorithms: list[str] = ["RS256", "ES256"]
    # Roles: a claim path (``roles``; Keycloak ``realm_access.roles``) and/or groups mapped to roles
    # (Entra ID, Okta: ``{"HR-Mentoring-Admins": "admin", "HR-Coordinators": "coordinator"}``).
    auth_roles_claim: str = "roles"
    auth_groups_claim: str = "groups"
    auth_group_roles: dict[str, Literal["employee", "coordinator", "admin", "integration"]] = {}
    auth_email_claim: str = "email"
    # Integrations' client-credentials tokens (integration role) carry their scopes in this claim.
    auth_scopes_claim: str = "scope"
    # Link a first sign-in to the person with the same e-mail even without ``email_verified: true``:
    # only for an IdP whose e-mail addresses are managed by the organisation (Entra ID's often are).
    auth_emails_authoritative: bool = False
    auth_jwks_cache_seconds: int = 3600
    auth_jwks_refetch_cooldown_seconds: int = 30
    auth_idp_timeout_seconds: float = Field(default=5.0, gt=0, le=60)
    auth_leeway_seconds: int = 30
    # Failed authentications per client address before 429 (``limits`` notation: "20/minute").
    auth_failure_limit: str = "20/minute"
    # The public OAuth2 client id Swagger UI's "Authorize" uses (authorization code + PKCE). In
    # development the built-in issuer accepts any client id; in production register a public client.
    auth_docs_client_id: str | None = None
    auth_docs_scopes: list[str] = ["openid", "email", "profile"]
    # How long a known API key is trusted before it is read again (a revocation reaches other
    # processes within this time; this process at once).
    api_key_cache_seconds: float = Field(default=30.0, ge=0, le=3600)

    # --- exposure -------------------------------------------------------------------------------
    # /docs, /redoc and /openapi.json: None means "served unless production".
    docs_enabled: bool | None = None
    # /metrics: None means "public unless production"; otherwise it needs an admin or the
    # ``metrics:read`` scope (an API key for the scraper).
    metrics_public: bool | None = None
    # Strict-Transport-Security max-age, sent in production only.
    hsts_seconds: int = Field(default=31_536_000, ge=0)
    # How long an identity → person link is trusted before it is read again (other processes see a
    # deactivation within this time; this process at once).
    identity_cache_seconds: float = Field(default=30.0, ge=0, le=3600)
    # The development issuer's name: fixed, so a token works whatever host/port the server uses.
    dev_issuer: str = "urn:turnabout:dev-issuer"
    dev_signing_key_path: Path = Path("./var/dev-signing-key.json")
    dev_token_ttl_seconds: int = 12 * 3600

    # --- behaviour ------------------------------------------------------------------------------
    idempotency_ttl_hours: int = 24
    # Outbox rows already dispatched (``dispatched_at`` set) are deleted once older than this; rows not
    # yet dispatched are kept however old.
    outbox_retention_days: int = Field(default=30, ge=1, le=3650)
    # Request bodies above this are refused with 413 before they are read (the HRIS upsert of 5,000
    # people is about 2.5 MB).
    max_body_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    page_size_default: int = Field(default=50, ge=1, le=500)

    # --- GraphQL (/graphql) -----------------------------------------------------------------------
    # GraphiQL and introspection: on in development; None means "on unless production".
    graphql_ide: bool | None = None
    graphql_introspection: bool | None = None
    graphql_max_depth: int = Field(default=12, ge=2, le=50)
    graphql_max_aliases: int = Field(default=30, ge=1, le=1000)
    graphql_max_tokens: int = Field(default=5000, ge=100, le=100_000)
    graphql_max_cost: int = Field(default=5000, ge=10, le=10_000_000)
    graphql_persisted_queries: Literal["off", "automatic", "registry"] = "automatic"
    graphql_persisted_queries_registry: Path | None = None  # {"<sha256>": "<query>"}: the allow-list
    # How often a subscription looks for new outbox events when nothing in this process woke it.
    graphql_subscription_poll_seconds: float = Field(default=1.0, gt=0, le=60)

    # --- outbound webhooks ----------------------------------------------------------------------
    # http:// endpoint URLs: refused in production unless set to true; None means "allowed unless production".
    webhook_allow_http: bool | None = None
    # Networks the SSRF guard admits although they are private (CIDRs, comma separated): e.g. an
    # on-premises HR system at "10.20.0.0/16". Empty: only public addresses are called.
    webhook_allowed_networks: Annotated[list[str], NoDecode] = []
    webhook_timeout_seconds: float = Field(default=15.0, gt=0, le=60)
    # Requests in flight at once per worker, across endpoints.
    webhook_concurrency: int = Field(default=64, ge=1, le=1000)
    # Delivered and failed messages, and their attempts, are deleted after this many days.
    webhook_retention_days: int = Field(default=30, ge=1, le=3650)

    @property
    def webhook_http_allowed(self) -> bool:
        return (not self.is_production) if self.webhook_allow_http is None else self.webhook_allow_http

    @field_validator("webhook_allowed_networks", mode="before")
    @classmethod
    def _networks(cls, value: object) -> object:
        if isinstance(value, str):
            return [network.strip() for network in value.split(",") if network.strip()]
        return value

    # --- jobs (docs/operations.md, "Jobs") -------------------------------------------------------
    # Whether the server runs the job runner in its own process: None means on for SQLite (the embedded
    # default: no second process) and off for PostgreSQL (run `turnabout worker` processes).
    jobs_embedded: bool | None = None
    jobs_concurrency: int = Field(default=4, ge=1, le=256)  # jobs one runner runs at once
    # How often an idle runner looks for due jobs when nothing woke it (LISTEN/NOTIFY on PostgreSQL,
    # a commit in the same process).
    jobs_poll_seconds: float = Field(default=1.0, gt=0, le=300)
    # A running job's lease: renewed every third of it while the handler runs; a worker that dies stops
    # renewing, and another worker claims the job once it expires.
    jobs_lease_seconds: float = Field(default=30.0, ge=1, le=3600)
    # On SIGTERM: how long jobs in flight may finish before they are cancelled and released.
    jobs_shutdown_grace_seconds: float = Field(default=20.0, ge=0, le=3600)
    # Succeeded jobs are deleted after this; dead ones stay until an admin retries them.
    jobs_retention_days: int = Field(default=7, ge=1, le=3650)

    @property
    def jobs_run_embedded(self) -> bool:
        if self.jobs_embedded is not None:
            return self.jobs_embedded
        return self.database_url.startswith("sqlite")

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def dev_issuer_enabled(self) -> bool:
        """Dev tokens exist only outside production and only when no external issuer is set."""
        return not self.is_production and self.auth_issuer is None

    @property
    def effective_issuer(self) -> str:
        return self.auth_issuer or self.dev_issuer

    @field_validator("auth_failure_limit")
    @classmethod
    def _a_rate(cls, value: str) -> str:
        from limits import parse

        parse(value)  # "20/minute", "5 per second": refused at start-up if it does not parse
        return value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip().rstrip("/") for origin in value.split(",") if origin.strip()]
        return value

    @property
    def docs_served(self) -> bool:
        return (not self.is_production) if self.docs_enabled is None else self.docs_enabled

    @property
    def metrics_protected(self) -> bool:
        return self.is_production if self.metrics_public is None else not self.metrics_public

    @property
    def docs_client_id(self) -> str | None:
        """The client id of Swagger UI's sign-in: the setting, or the development issuer's own."""
        return self.auth_docs_client_id or ("turnabout-docs" if self.dev_issuer_enabled else None)

    @property
    def graphql_ide_enabled(self) -> bool:
        return (not self.is_production) if self.graphql_ide is None else self.graphql_ide

    @property
    def graphql_introspection_enabled(self) -> bool:
        return (not self.is_production) if self.graphql_introspection is None else self.graphql_introspection

    @model_validator(mode="after")
    def _production_needs_an_issuer(self) -> Settings:
        if self.is_production and not self.auth_issuer:
            raise ValueError("TURNABOUT_AUTH_ISSUER is required in production: dev tokens are refused there")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
