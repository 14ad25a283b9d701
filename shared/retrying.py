"""The one backoff every reconnecting loop uses (tenacity): exponential, capped, forever."""

from __future__ import annotations

import structlog
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, wait_exponential

log = structlog.get_logger()


def forever(what: str, *, first: float, cap: float,
            on: type[BaseException] | tuple[type[BaseException], ...] = Exception) -> AsyncRetrying:
    """Retry ``on`` failures without end, waiting ``first`` seconds, then twice as long each
    time up to ``cap``; each failure is logged as ``<what>_failed`` with the wait ahead."""

    def log_failure(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        log.warning(f"{what}_failed", attempt=state.attempt_number, error=repr(error)[:300],
                    retry_in=round(state.upcoming_sleep, 2))

    return AsyncRetrying(wait=wait_exponential(multiplier=first, min=first, max=cap),
                         retry=retry_if_exception_type(on), before_sleep=log_failure, reraise=True)

