"""A task's documents, downloaded from the shared blob store by staff with the right role, and
the append-only audit trail of every download and staff action."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.builders import assert_problem, new_tracking_number, received
from tests.files import MINIMAL_PDF as PDF
from tests.files import document_ref, put_in_store

STORED = document_ref(PDF, "تصميم_الموقع.pdf", "situation_plan")
SHA = STORED["sha256"]
MISSING = {"name": "plan.pdf", "type": "property_proof", "sha256": "0f" * 32, "size": 10,
           "content_type": "application/pdf"}


@pytest.fixture
def documents_dir(documents_dir):
    """The blob store, holding the one PDF of STORED."""
    put_in_store(documents_dir, PDF)
    return documents_dir


async def test_staff_download_a_document_and_each_download_is_audited(review, broker, documents_dir):
    assert review.app.state.settings.documents_dir == documents_dir
    number = new_tracking_number()
    await broker.publish(received(number, "information_note", documents=[STORED, MISSING]))
    task_id = (await review.wait_task(number))["id"]
    url = f"/api/v1/tasks/{task_id}/documents"

    answer = await review.client.get(f"{url}/{SHA}", headers=review.auth("reviewer", sub="amina"))
    assert answer.status_code == 200, answer.text
    assert answer.content == PDF
    assert answer.headers["content-type"] == "application/pdf"
    assert quote(STORED["name"]) in answer.headers["content-disposition"]
    assert answer.headers["content-disposition"].startswith("attachment")
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert (await review.client.get(f"{url}/{SHA}", headers=review.auth("supervisor", sub="omar"))).status_code == 200
    for role in ("committee", "finance", "ops"):  # they do not handle information notes (shared/policy.toml)
        assert_problem(await review.client.get(f"{url}/{SHA}", headers=review.auth(role, sub=f"{role}-1")), 403)
    assert_problem(await review.client.get(f"{url}/{SHA}"), 401)

    not_its_own = await review.client.get(f"{url}/{'1a' * 32}", headers=review.auth("reviewer", sub="amina"))
    assert "no document" in assert_problem(not_its_own, 404)["detail"]
    not_stored = await review.client.get(f"{url}/{MISSING['sha256']}", headers=review.auth("reviewer", sub="amina"))
    assert "not in the document store" in assert_problem(not_stored, 404)["detail"]
    traversal = await review.client.get(f"{url}/{'..' * 32}", headers=review.auth("reviewer", sub="amina"))
    assert traversal.status_code == 422

    # Staff actions and downloads, in order, with who and which filing.
    amina = review.auth("reviewer", sub="amina")
    assert (await review.client.post(f"/api/v1/tasks/{task_id}/claim", headers=amina)).status_code == 200
    decided = await review.client.post(f"/api/v1/tasks/{task_id}/decision", headers=amina, json={
        "outcome": "rejected", "text": "Parcelle hors du périmètre de l'agence."})
    assert decided.status_code == 200, decided.text
    audit = await review.client.get(f"/api/v1/tasks/{task_id}/audit", headers=review.auth("supervisor", sub="chief"))
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
                                        headers=review.auth(role, sub="x"))).status_code == 200
    for role in ("finance", "committee"):  # not their kind
        assert_problem(await review.client.get(f"/api/v1/tasks/{task_id}/audit", headers=review.auth(role, sub="x")), 403)
    with pytest.raises(Exception, match="append-only"):
        await review.pool.execute("UPDATE task_history SET actor = 'nobody'")
