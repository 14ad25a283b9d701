"""Settings base: every service reads LAMADI_* environment variables through a subclass."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_JWT_SECRET = "lamadi-development-secret-do-not-use-in-production"


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LAMADI_", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    host: str = "127.0.0.1"
    port: int = 8000

    database_url: str = "postgresql://postgres@127.0.0.1:5432/lamadi"
    database_pool_max: int = 10

    # "transaction": PostgreSQL is reached through a transaction-mode pooler (PgBouncer), so no
    # statement cache and no session settings; the search path comes from the service's role.
    database_pooler: Literal["none", "transaction"] = "none"
    # Straight to PostgreSQL, for what needs a session: the relay's LISTEN and the migrations'
    # advisory lock. Unset: database_url.
    database_direct_url: str | None = None

    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    exchange: str = "lamadi.events"
    # Type of every queue (docs/scale.md#quorum-queues); a queue cannot change type once declared.
    queue_type: Literal["classic", "quorum"] = "classic"
    # Quorum work queues: deliveries of one message (returns count) before it is parked.
    queue_delivery_limit: int = Field(20, ge=1)
    broker_reconnect_interval: float = 2.0
    prefetch: int = 16
    # Seconds a failed message waits in each retry queue before it is parked.
    retry_delays: list[float] = Field(default_factory=lambda: [1.0, 10.0, 60.0])

    outbox_poll_interval: float = 2.0
    outbox_backoff_max: float = 30.0

    # Largest request body, counted as it streams (chunked bodies included): 413 beyond it.
    max_body_bytes: int = Field(1024 * 1024, gt=0)

    # What can be filed (kinds, fields, documents, deadlines, outcomes); None: shared/catalogue.toml.
    catalogue_path: Path | None = None

    # The public portal's address: the links emails carry, and the /verify/<code> URL every
    # issued document's QR code opens.
    portal_url: str = "http://127.0.0.1:8000"

    jwt_secret: SecretStr = SecretStr(DEVELOPMENT_JWT_SECRET)
    log_json: bool | None = None  # None: JSON unless stdout is a terminal
    log_level: str = "INFO"
    shutdown_grace: float = 10.0

    @property
    def session_database_url(self) -> str:
        """Where connections that need a session (LISTEN, advisory locks) go."""
        return self.database_direct_url or self.database_url

    @model_validator(mode="after")
    def _refuse_default_secrets(self) -> "ServiceSettings":
        if self.env == "production" and self.jwt_secret.get_secret_value() == DEVELOPMENT_JWT_SECRET:
            raise ValueError("LAMADI_JWT_SECRET must be set outside development")
        return self
