"""Composition root: logging, the clock, the runtime (migrations, pool, broker, relay,
consumers, the deadline scanner), the app."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from services.review import api, consumers
from services.review.handlers import Clock, system_clock
from services.review.scheduler import deadline_scanner
from services.review.settings import ReviewSettings
from shared.http import create_app
from shared.logging import configure_logging
from shared.runtime import Runtime

MIGRATIONS = Path(__file__).parent / "migrations"


def build_app(settings: ReviewSettings | None = None, *, clock: Clock | None = None) -> FastAPI:
    """``clock`` gives "now" to the handlers and the deadline scanner (the system clock by default)."""
    settings = settings or ReviewSettings()
    clock = clock or system_clock
    configure_logging("review", json=settings.log_json, level=settings.log_level)
    runtime = Runtime(
        service="review",
        settings=settings,
        migrations=MIGRATIONS,
        subscriptions=lambda rt: consumers.subscriptions(rt, clock),
        background=[deadline_scanner(clock)],
    )
    app = create_app(
        runtime,
        title="Lamadi review",
        description="Staff API: review tasks, committee, finance steps, deadlines, documents and audit "
                    "(JWT bearer with staff roles).",
        routers=api.routers,
    )
    app.state.clock = clock
    return app
