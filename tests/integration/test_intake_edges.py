"""Intake's edge against a careful attacker: every bad input a clear 4xx naming the field,
nothing stored; a database fault a 503 the Idempotency-Key makes safe to retry."""

from __future__ import annotations

import json
from uuid import uuid4

import asyncpg
import httpx
import pytest

from services.intake.settings import IntakeSettings
from tests.builders import assert_problem, fields_of
from tests.files import MINIMAL_PDF, complaint
from tests.in_process import served
from tests.open311_client import V2, errors_of
from tests.support import count

NUL = "\u0000"


def stored_blobs(intake) -> list:
    return [p for p in intake.settings.documents_dir.rglob("*") if p.is_file()]


@pytest.mark.parametrize(("where", "field"), [
    ("message", "body.message"),
    ("subject", "body.subject"),
    ("applicant.full_name", "body.applicant.full_name"),
    ("applicant.email", "body.applicant.email"),
])
async def test_a_nul_in_any_text_field_of_a_json_filing_is_a_422_naming_it(intake, where, field):
    payload = complaint()
    target = payload
    *parents, leaf = where.split(".")
    for name in parents:
        target = target[name]
    target[leaf] = f"avant{NUL}après ceci"
    answer = await intake.client.post("/api/v1/submissions", json=payload)
    assert field in fields_of(assert_problem(answer, 422))
    assert await count(intake.pool, "submissions") == 0


async def test_a_nul_in_the_json_part_of_a_multipart_filing_is_a_422(intake):
    payload = complaint()
    payload["subject"] = f"Chantier{NUL}"
    answer = await intake.client.post("/api/v1/submissions", data={"submission": json.dumps(payload)},
                                      files=[("documents", ("plan.pdf", MINIMAL_PDF, "application/pdf"))])
    assert "body.subject" in fields_of(assert_problem(answer, 422))
    assert await count(intake.pool, "submissions") == 0
    assert stored_blobs(intake) == []


async def test_a_nul_in_a_withdrawal_reason_or_a_query_parameter_changes_nothing(intake):
    body = (await intake.client.post("/api/v1/submissions", json=complaint())).json()
    headers = {"X-Access-Token": body["access_token"]}
    answer = await intake.client.post(f"{body['location']}/withdraw", headers=headers, json={"reason": f"x{NUL}"})
    assert "body.reason" in fields_of(assert_problem(answer, 422))
    assert (await intake.client.get(body["location"], headers=headers)).json()["status"] == "received"
    for params in ({"kind": f"building_permit{NUL}"}, {"limit": f"1{NUL}"}):
        answer = await intake.client.get("/api/v1/opinions", params=params)
        assert fields_of(assert_problem(answer, 422)) == [f"query.{next(iter(params))}"]
    assert_problem(await intake.client.get("/api/v1/submissions/AU%00-2026", headers=headers), 422)


async def test_an_offset_past_64_bits_and_json_nested_100000_deep_are_refused(intake):
    for path in ("/api/v1/opinions", "/api/v1/complaints/open"):  # every public list
        beyond = await intake.client.get(path, params={"offset": 2**64})
        assert "query.offset" in fields_of(assert_problem(beyond, 422)), path
    last = await intake.client.get("/api/v1/complaints/open", params={"offset": 2**63 - 1})
    assert last.status_code == 200 and last.json()["items"] == []
    # Open311's pages skip page_size items each: one past the 64-bit OFFSET is a 400 in its format.
    too_far = await intake.client.get(f"{V2}/requests.json", params={"page": 2**63 // 1000 + 1, "page_size": 1000})
    assert any("page" in description for description in errors_of(too_far, 400))
    assert (await intake.client.get(f"{V2}/requests.json", params={"page": 2**63 // 1000})).status_code == 200
    deep = "[" * 100_000 + "]" * 100_000
    answer = await intake.client.post("/api/v1/submissions", content=deep, headers={"Content-Type": "application/json"})
    assert assert_problem(answer, 400)["title"] == "Malformed JSON"
    multipart = await intake.client.post("/api/v1/submissions", data={"submission": deep},
                                         files=[("documents", ("plan.pdf", MINIMAL_PDF, "application/pdf"))])
    assert_problem(multipart, 400)
    assert await count(intake.pool, "submissions") == 0


@pytest.mark.parametrize("name", ["Amina\r\nBcc: victim@example.ma", "Amina\nBerrada", "\u200b\u200e \u2066"])
async def test_a_single_line_name_refuses_line_breaks_and_invisible_only_text(intake, name):
    answer = await intake.client.post("/api/v1/submissions", json=complaint(full_name=name))
    assert "body.complaint.applicant.full_name" in fields_of(assert_problem(answer, 422))
    assert await count(intake.pool, "submissions") == 0


async def test_stored_files_are_named_by_their_real_type_without_invisible_characters(intake):
    files = [("documents", ("poly.html", MINIMAL_PDF, "text/html")),
             ("documents", ("plan\u202efdp.exe", MINIMAL_PDF, "application/pdf"))]
    answer = await intake.client.post("/api/v1/submissions", data={"submission": json.dumps(complaint())}, files=files)
    assert answer.status_code == 202, answer.text
    names = [r["name"] for r in await intake.pool.fetch("SELECT name FROM documents ORDER BY id")]
    assert names == ["poly.pdf", "planfdp.pdf"]
    invisible = await intake.client.post("/api/v1/submissions", data={"submission": json.dumps(complaint())},
                                         files=[("documents", ("\u200b\u202e", MINIMAL_PDF, "application/pdf"))])
    assert "documents" in fields_of(assert_problem(invisible, 422))


async def test_a_chunked_body_without_content_length_is_cut_at_the_limit(env, tmp_path, monkeypatch):
    monkeypatch.setenv("LAMADI_DOCUMENTS_DIR", str(tmp_path / "documents"))
    monkeypatch.setenv("LAMADI_MAX_DOCUMENTS", "1")
    monkeypatch.setenv("LAMADI_MAX_DOCUMENT_BYTES", "200000")  # the body limit: 200 kB + 1 MB
    async with served("intake", IntakeSettings()) as intake:
        async def chunks():
            yield b'{"kind": "complaint", "message": "'
            for _ in range(40):
                yield b"x" * 65536  # 2.6 MB in all, sent without Content-Length
            yield b'"}'

        answer = await intake.client.post("/api/v1/submissions", content=chunks(),
                                          headers={"Content-Type": "application/json"})
        assert "content-length" not in {k.lower() for k in answer.request.headers}
        assert_problem(answer, 413)
        assert await intake.pool.fetchval("SELECT count(*) FROM submissions") == 0


async def test_a_filing_refused_by_a_server_error_keeps_no_file(intake):
    await intake.pool.execute("ALTER TABLE documents RENAME TO documents_elsewhere")  # the insert now fails
    unique = MINIMAL_PDF + uuid4().hex.encode()
    # In process the server error reaches the client as the exception itself (a deployed
    # server answers 500); what matters is what stays behind.
    with pytest.raises(asyncpg.UndefinedTableError):
        await intake.client.post("/api/v1/submissions", data={"submission": json.dumps(complaint())},
                                 files=[("documents", ("plan.pdf", unique, "application/pdf"))])
    assert stored_blobs(intake) == []
    assert await intake.pool.fetchval("SELECT count(*) FROM submissions") == 0


async def test_a_database_fault_is_a_503_and_the_same_idempotency_key_files_once(intake):
    # The database ends the connection in the middle of the filing's transaction, as a
    # restart or an operator's pg_terminate_backend would.
    await intake.pool.execute("""
        CREATE FUNCTION cut_off() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NEW; END $$;
        CREATE TRIGGER cut_off BEFORE INSERT ON submissions FOR EACH ROW EXECUTE FUNCTION cut_off();""")
    key = {"Idempotency-Key": str(uuid4())}
    first = await intake.client.post("/api/v1/submissions", json=complaint(email="retry@example.ma"), headers=key)
    assert_problem(first, 503)
    assert int(first.headers["Retry-After"]) > 0 and "Idempotency-Key" in first.json()["detail"]
    await intake.pool.execute("DROP TRIGGER cut_off ON submissions")
    again = await intake.client.post("/api/v1/submissions", json=complaint(email="retry@example.ma"), headers=key)
    assert again.status_code == 202, again.text
    repeat = await intake.client.post("/api/v1/submissions", json=complaint(email="retry@example.ma"), headers=key)
    assert repeat.json()["tracking_number"] == again.json()["tracking_number"]
    assert await intake.pool.fetchval(
        "SELECT count(*) FROM submissions WHERE applicant->>'email' = 'retry@example.ma'") == 1


async def test_every_answer_says_nosniff(intake):
    for answer in (await intake.client.get("/api/v1/catalogue"), await intake.client.get("/nowhere")):
        assert answer.headers["x-content-type-options"] == "nosniff"
    assert isinstance(intake.client, httpx.AsyncClient)
