"""Run one service's app under uvicorn (``python -m services.<name>``)."""

from __future__ import annotations

import uvicorn
from fastapi import FastAPI

from shared.settings import ServiceSettings


def serve(app: FastAPI, settings: ServiceSettings) -> None:
    # SIGTERM: uvicorn stops accepting, finishes requests, then runs the lifespan shutdown,
    # which stops the consumers and lets in-flight messages finish (Runtime.stop).
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        # uvloop and httptools (pinned): a request costs about half the CPU of asyncio and h11.
        # Named, not "auto", so that a missing install fails at start instead of running slow.
        loop="uvloop",
        http="httptools",
        access_log=False,
        log_level="warning",
        timeout_graceful_shutdown=int(settings.shutdown_grace),
    )
