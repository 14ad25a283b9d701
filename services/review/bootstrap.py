"""Composition root: logging, the runtime (migrations, pool, broker, relay, consumers), the app."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from services.review import api, consumers
from services.review.settings import ReviewSettings
from shared.http import create_app
from shared.logging import configure_logging
from shared.runtime import Runtime

MIGRATIONS = Path(__file__).parent / "migrations"


def build_app(settings: ReviewSettings | None = None) -> FastAPI:
    settings = settings or ReviewSettings()
    configure_logging("review", json=settings.log_json, level=settings.log_level)
    runtime = Runtime(
        service="review",
        settings=settings,
        migrations=MIGRATIONS,
        subscriptions=consumers.subscriptions,
    )
    return create_app(
        runtime,
        title="Lamadi review",
        description="Staff API: review tasks, observations and decisions (JWT bearer with staff roles).",
        routers=[api.router],
    )
