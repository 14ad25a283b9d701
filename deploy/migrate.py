"""Apply every service's database migrations, once, before a rollout: ``python -m deploy.migrate``
(the Kubernetes Job ``lamadi-migrate``). Each service still migrates at start-up under the same
advisory lock, so both are safe together; after this Job, start-up finds nothing left to apply.

Only the migration files are read (``services/<name>/migrations``, schema ``<name>``), never a
service's bootstrap, so this needs the database URL alone: no broker, no JWT secret."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import structlog
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.logging import configure_logging
from shared.migrations import migrate
from shared.settings import ServiceSettings

SERVICES_DIR = Path(__file__).resolve().parents[1] / "services"
log = structlog.get_logger()


class MigrateSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LAMADI_", extra="ignore")

    database_url: str = ServiceSettings.model_fields["database_url"].default
    database_direct_url: str | None = None  # past a transaction pooler: the advisory lock needs a session
    log_json: bool | None = None
    log_level: str = "INFO"


def service_migrations(services_dir: Path = SERVICES_DIR) -> dict[str, Path]:
    """Schema name → migrations directory, for every service that has one."""
    return {path.parent.name: path for path in sorted(services_dir.glob("*/migrations")) if path.is_dir()}


async def migrate_all(dsn: str, migrations: dict[str, Path]) -> dict[str, list[str]]:
    return {schema: await migrate(dsn, schema, directory) for schema, directory in migrations.items()}


def main() -> int:
    settings = MigrateSettings()
    configure_logging("migrate", json=settings.log_json, level=settings.log_level)
    migrations = service_migrations()
    if not migrations:
        log.error("no_migrations_found", services_dir=str(SERVICES_DIR))
        return 1
    try:
        applied = asyncio.run(migrate_all(settings.database_direct_url or settings.database_url, migrations))
    except Exception:  # logged with its traceback (never the URL, which holds the password)
        log.exception("migrations_failed")
        return 1
    log.info("migrations_done", applied={schema: len(names) for schema, names in applied.items()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
