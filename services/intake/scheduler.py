"""Background job: purge expired drafts every ``draft_purge_interval`` seconds, then remove the
files only they held (after the commit, so a failed purge removes nothing)."""

from __future__ import annotations

import asyncio
from uuid import uuid4

import structlog

from services.intake.deps import IntakeDeps
from services.intake.domain.commands import PurgeExpiredDrafts
from services.intake.handlers import purge_expired_drafts
from shared.unit_of_work import run

log = structlog.get_logger()


async def purge_drafts(deps: IntakeDeps) -> int:
    unneeded = await run(purge_expired_drafts, PurgeExpiredDrafts(), deps, correlation_id=str(uuid4()))
    for sha256 in unneeded:
        deps.documents.remove(sha256)
    return len(unneeded)


async def draft_purger(deps: IntakeDeps) -> None:
    while True:
        try:
            removed = await purge_drafts(deps)
            if removed:
                log.info("drafts_purged", files_removed=removed)
        except asyncio.CancelledError:
            raise
        except Exception:  # the database may be away: log, and try again next time
            log.exception("draft_purge_failed")
        await asyncio.sleep(deps.settings.draft_purge_interval)
