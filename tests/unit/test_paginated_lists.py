"""Every paging parameter of the notifier's and reporting's lists has a ceiling: an offset past
PostgreSQL's 64-bit OFFSET once reached the database and answered 500 instead of 422."""

from __future__ import annotations

import pytest

from services.notifier.bootstrap import build_app as build_notifier
from services.notifier.settings import NotifierSettings
from services.reporting.bootstrap import build_app as build_reporting
from services.reporting.settings import ReportingSettings

PAGING = ("limit", "offset")
APPS = {"notifier": lambda: build_notifier(NotifierSettings()),
        "reporting": lambda: build_reporting(ReportingSettings())}


def paging_parameters(app) -> list[tuple[str, str, dict]]:
    return [(path, parameter["name"], parameter["schema"])
            for path, operations in app.openapi()["paths"].items()
            for operation in operations.values()
            for parameter in operation.get("parameters", [])
            if parameter["in"] == "query" and parameter["name"] in PAGING]


@pytest.mark.parametrize("service", sorted(APPS))
def test_every_limit_and_offset_has_a_floor_and_a_ceiling(service):
    found = paging_parameters(APPS[service]())
    assert {name for _, name, _ in found} == set(PAGING), "the service lists nothing page by page any more?"
    uncapped = [f"{path} {name}" for path, name, schema in found
                if schema.get("type") != "integer" or "minimum" not in schema or "maximum" not in schema]
    assert uncapped == []
    offsets = {schema["maximum"] for _, name, schema in found if name == "offset"}
    assert offsets == {2**63 - 1}, "PostgreSQL's OFFSET is a 64-bit integer"
