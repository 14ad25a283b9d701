"""Property-based API test (schemathesis) over every service's OpenAPI, the services running as
deployed and seeded with a filing of every kind, so the fuzzer reaches past "not found" into
real tasks, filings and deliveries: no server error, and every answer is what the document
says (status code, content type, body schema)."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from tests.builders import staff_headers
from tests.e2e.journey import Journey
from tests.support import wait_until

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
EXAMPLES_PER_OPERATION = 12  # bounded: the whole suite keeps to its time budget
KINDS = ("information_note", "complaint", "pre_study", "building_permit", "subdivision_permit", "supplier_invoice")


async def seed(system) -> dict[str, list[str]]:
    """A filing of every kind, its task, its receipt and its code: real identifiers for the fuzzer."""
    journeys = [Journey(system, kind, email=f"fuzz-{kind}@example.ma") for kind in KINDS]
    for journey in journeys:
        await journey.file()
    admin = staff_headers("admin", sub="seeder")

    async def tasks():
        answer = await system.http.get(system.url("review", "/api/v1/tasks"), headers=admin, params={"limit": 50})
        items = answer.json()["items"]
        return items if len(items) == len(KINDS) else None

    async def deliveries():
        answer = await system.http.get(system.url("notifier", "/api/v1/deliveries"), headers=admin)
        items = answer.json()["items"]
        return items if len(items) == len(KINDS) else None

    async def documents():
        codes = []
        for journey in journeys:
            answer = await system.http.get(system.url("notifier", "/api/v1/documents"), headers=admin,
                                           params={"reference": journey.tracking_number})
            codes += [d["code"] for d in answer.json()["items"]]
        return codes if len(codes) == len(KINDS) else None

    found = await wait_until(tasks, timeout=30, message="a task of every kind")
    sent = await wait_until(deliveries, timeout=60, message="every receipt")
    issued = await wait_until(documents, timeout=30, message="every receipt issued")
    return {"task_id": [t["id"] for t in found],
            "sha256": sorted({d["sha256"] for t in found for d in t["documents"]}),
            "tracking_number": [j.tracking_number for j in journeys],
            "X-Access-Token": [j.token for j in journeys],
            "delivery_id": [d["id"] for d in sent],
            "code": issued}


def config(values: dict[str, list[str]], path: Path) -> Path:
    """A schemathesis.toml drawing path parameters and the access token from the seeded values."""
    lines = []
    for name, items in values.items():
        lines += [f"[dictionaries.{name.replace('-', '_')}]", f"values = {json.dumps(items)}", ""]
    lines.append("[parameters]")
    for name in values:
        location = "header" if name == "X-Access-Token" else "path"
        lines.append(f'"{location}.{name}" = {{ dictionary = "{name.replace("-", "_")}", probability = 0.8 }}')
    path.write_text("\n".join(lines) + "\n")
    return path


async def schemathesis_run(url: str, token: str | None, config_file: Path) -> tuple[int, str]:
    args = [str(SCHEMATHESIS), "--config-file", str(config_file), "run", f"{url}/openapi.json", "--checks", CHECKS,
            "--max-examples", str(EXAMPLES_PER_OPERATION), "--phases", "examples,coverage,fuzzing",
            "--workers", "1", "--seed", "20261129", "--no-color", "--request-timeout", "10",
            "--generation-database", "none"]
    if token:
        args += ["--header", f"Authorization:{token}"]
    process = await asyncio.create_subprocess_exec(*args, stdout=asyncio.subprocess.PIPE,
                                                   stderr=asyncio.subprocess.STDOUT)
    output, _ = await process.communicate()
    return process.returncode, output.decode(errors="replace")


async def test_no_server_error_and_every_answer_as_documented_on_every_service(system, tmp_path):
    config_file = config(await seed(system), tmp_path / "schemathesis.toml")
    failures = {}
    for service in ("intake", "review", "notifier", "reporting"):
        # Staff services: an admin token, so the fuzzer reaches past authentication.
        token = None if service == "intake" else staff_headers("admin", sub="fuzzer")["Authorization"]
        code, output = await schemathesis_run(system.services[service].url, token, config_file)
        if code != 0 or "generated, " not in output:
            failures[service] = output[-5000:]
    assert not failures, "\n\n".join(f"=== {name}\n{output}" for name, output in failures.items())
