"""Background job: scan the deadlines every ``deadline_scan_interval`` seconds, at the time
the service's clock gives (tests pass a controllable one)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import structlog

from services.review.handlers import Clock, scan_deadlines
from shared.runtime import Runtime

log = structlog.get_logger()


def deadline_scanner(clock: Clock) -> Callable[[Runtime], Awaitable[None]]:
    async def run(runtime: Runtime) -> None:
        settings = runtime.settings
        while True:
            try:
                emitted = await scan_deadlines(runtime.pool, clock(), margin_days=settings.deadline_margin_days)
                if emitted:
                    log.info("deadline_scan_done", alerts=len(emitted))
            except asyncio.CancelledError:
                raise
            except Exception:  # the database may be away: log, and try again next time
                log.exception("deadline_scan_failed")
            await asyncio.sleep(settings.deadline_scan_interval)

    return run
