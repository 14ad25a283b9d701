"""The JSON log lines: one parseable line per call, the correlation id in it, and a value that
orjson refuses still logged rather than failing the caller."""

import io
import json
import sys

import pytest
import structlog

from shared.logging import configure_logging


@pytest.fixture
def configured(monkeypatch):
    """Configured on a stdout of its own, set in the test's call phase (pytest's capture sets
    sys.stdout again between phases); the bytes written come back."""
    def configure() -> io.BytesIO:
        captured = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
        monkeypatch.setattr(sys, "stdout", captured)
        configure_logging("intake", json=True)
        return captured.buffer

    yield configure
    structlog.reset_defaults()
    structlog.contextvars.clear_contextvars()


def lines(buffer) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().decode().splitlines()]


def test_a_json_line_per_call_with_the_bound_correlation_id(configured):
    stdout = configured()
    log = structlog.get_logger()
    with structlog.contextvars.bound_contextvars(correlation_id="abcd1234"):
        log.info("http_request", method="POST", route="/api/v1/submissions", status=202)
    log.debug("not_at_info")
    log.warning("commune", name="Khénifra")
    first, second = lines(stdout)
    assert first["event"] == "http_request" and first["status"] == 202 and first["level"] == "info"
    assert first["service"] == "intake" and first["correlation_id"] == "abcd1234" and "timestamp" in first
    assert second["name"] == "Khénifra" and "correlation_id" not in second


def test_values_orjson_refuses_are_still_logged(configured):
    stdout = configured()
    structlog.get_logger().info("odd_values", big=2**70, keys={1: "a"}, thing=object())
    (line,) = lines(stdout)
    assert line["big"] == 2**70 and line["keys"] == {"1": "a"} and line["thing"].startswith("<object")
