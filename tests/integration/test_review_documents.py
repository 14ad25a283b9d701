"""A task's documents, downloaded from the shared blob store by staff with the right role, and
the append-only audit trail of every download and staff action."""

from __future__ import annotations

import hashlib
from urllib.parse import quote

import pytest

from services.review.settings import ReviewSettings
from tests.integration import test_review_service as base
from tests.integration.test_review_service import assert_problem, received, tracking

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SHA = hashlib.sha256(PDF).hexdigest()
STORED = {"name": "تصميم_الموقع.pdf", "type": "situation_plan", "sha256": SHA, "size": len(PDF),
          "content_type": "application/pdf"}
MISSING = {"name": "plan.pdf", "type": "property_proof", "sha256": "0f" * 32, "size": 10,
           "content_type": "application/pdf"}


@pytest.fixture
def documents_dir(tmp_path):
    path = tmp_path / "documents"
    (path / SHA[:2]).mkdir(parents=True)
    (path / SHA[:2] / SHA).write_bytes(PDF)
    return path


@pytest.fixture
def review_settings(env, documents_dir, monkeypatch):
    monkeypatch.setenv("LAMADI_DOCUMENTS_DIR", str(documents_dir))
    return ReviewSettings()


clock, review = base.clock, base.review


async def test_staff_download_a_document_and_each_download_is_audited(review, broker, documents_dir):
    assert review.app.state.settings.documents_dir == documents_dir
    number = tracking()
    await broker.publish(received(number, "information_note", documents=[STORED, MISSING]))
    task_id = (await review.wait_task(number))["id"]
    url = f"/api/v1/tasks/{task_id}/documents"

    answer = await review.client.get(f"{url}/{SHA}", headers=review.auth("amina", "reviewer"))
    assert answer.status_code == 200, answer.text
    assert answer.content == PDF
    assert answer.headers["content-type"] == "application/pdf"
    assert quote(STORED["name"]) in answer.headers["content-disposition"]
    assert answer.headers["content-disposition"].startswith("attachment")
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert (await review.client.get(f"{url}/{SHA}", headers=review.auth("omar", "supervisor"))).status_code == 200
    for role in ("committee", "finance", "ops"):  # they do not handle information notes (shared/policy.toml)
        assert_problem(await review.client.get(f"{url}/{SHA}", headers=review.auth(f"{role}-1", role)), 403)
    assert_problem(await review.client.get(f"{url}/{SHA}"), 401)

    not_its_own = await review.client.get(f"{url}/{'1a' * 32}", headers=review.auth("amina", "reviewer"))
    assert "no document" in assert_problem(not_its_own, 404)["detail"]
    not_stored = await review.client.get(f"{url}/{MISSING['sha256']}", headers=review.auth("amina", "reviewer"))
    assert "not in the document store" in assert_problem(not_stored, 404)["detail"]
    traversal = await review.client.get(f"{url}/{'..' * 32}", headers=review.auth("amina", "reviewer"))
    assert traversal.status_code == 422

    # Staff actions and downloads, in order, with who and which filing.
    amina = review.auth("amina", "reviewer")
    assert (await review.client.post(f"/api/v1/tasks/{task_id}/claim", headers=amina)).status_code == 200
    decided = await review.client.post(f"/api/v1/tasks/{task_id}/decision", headers=amina, json={
        "outcome": "rejected", "text": "Parcelle hors du périmètre de l'agence."})
    assert decided.status_code == 200, decided.text
    audit = await review.client.get(f"/api/v1/tasks/{task_id}/audit", headers=review.auth("chief", "supervisor"))
    assert audit.status_code == 200, audit.text
    rows = audit.json()
    assert [(r["actor"], r["action"]) for r in rows] == [
        ("applicant", "enqueue"), ("amina", "download_document"), ("omar", "download_document"),
        ("amina", "claim"), ("amina", "decide")]  # refused downloads leave no row: nothing was handed out
    assert {r["tracking_number"] for r in rows} == {number}
    assert rows[1]["note"] == f"situation_plan {SHA}" and rows[1]["to_status"] == "queued"
    assert rows[-1]["note"].startswith("rejected: ") and all(r["at"] for r in rows)
    for role in ("ops", "reviewer", "supervisor", "admin"):
        assert (await review.client.get(f"/api/v1/tasks/{task_id}/audit",
                                        headers=review.auth("x", role))).status_code == 200
    for role in ("finance", "committee"):  # not their kind
        assert_problem(await review.client.get(f"/api/v1/tasks/{task_id}/audit", headers=review.auth("x", role)), 403)
    with pytest.raises(Exception, match="append-only"):
        await review.pool.execute("UPDATE task_history SET actor = 'nobody'")
