"""structlog set-up: JSON lines outside a terminal, the correlation id bound in contextvars.

One line per request and per event at INFO, so a line must be cheap: orjson renders it to
bytes, written straight to stdout's buffer (one write and flush per line, so a killed
process loses none)."""

from __future__ import annotations

import logging
import sys
from json import dumps as json_dumps
from typing import Any

import orjson
import structlog


def _dumps(value: Any, **options: Any) -> bytes:
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS, **options)
    except TypeError:  # e.g. an integer past 64 bits: a log line must never fail its caller
        return json_dumps(value, **options).encode()


def configure_logging(service: str, *, json: bool | None = None, level: str = "INFO") -> None:
    if json is None:
        json = not sys.stdout.isatty()
    binary = getattr(sys.stdout, "buffer", None)  # a test's captured stdout may have none
    if json and binary is not None:
        renderer: Any = structlog.processors.JSONRenderer(serializer=_dumps)
        factory: Any = structlog.BytesLoggerFactory(binary)
    elif json:
        renderer, factory = structlog.processors.JSONRenderer(), structlog.PrintLoggerFactory(sys.stdout)
    else:
        renderer, factory = structlog.dev.ConsoleRenderer(), structlog.PrintLoggerFactory(sys.stdout)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=factory,
        cache_logger_on_first_use=True,
    )
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(service=service)
    # Libraries log through the standard library; keep their warnings, in one line each.
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format=f"{service} %(name)s %(levelname)s %(message)s")


def current_correlation_id() -> str | None:
    """The correlation id of the request or event being handled (bound by shared/edge.py and the
    consumers), so a client calling another service passes it on without being handed it."""
    return structlog.contextvars.get_contextvars().get("correlation_id")
