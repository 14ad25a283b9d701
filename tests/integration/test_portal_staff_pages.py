"""The staff pages against the real servers, for every role: each page and action opens only to
the roles the policy allows (the portal refuses its pages, the staff APIs refuse their actions,
and a refusal changes nothing); the work queue's filters, CSV and assignment of several tasks;
a task answered from the page; standard replies; the admin page."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

from pypdf import PdfReader

from shared.auth import ROLES
from shared.policy import load_policy
from tests.builders import new_tracking_number, received, staff_headers, staff_token
from tests.files import MINIMAL_PDF as PDF
from tests.files import document_ref, put_in_store
from tests.pages import csrf_token
from tests.support import wait_until

POLICY = load_policy()
ADMIN = staff_headers("admin", sub="admin-test")
STORED = document_ref(PDF, "تصميم_الموقع.pdf", "situation_plan")
SHA = STORED["sha256"]
PAGES = {  # page → the policy action that opens it
    "/staff/tasks": "read", "/staff/tasks.csv": "read", "/staff/committee": "sessions",
    "/staff/finance": "record_step", "/staff/replies": "replies", "/staff/admin": "directory",
    "/ops/queues": "queues", "/ops/services": "queues", "/ops/deliveries": "deliveries", "/ops/reports": "reports",
    "/ops/parked/lamadi.review.submissions": "parked",
}
POSTS = {  # form posts the portal refuses itself → the action they need
    "/staff/tasks/assign": "assign", "/staff/replies": "replies", "/staff/admin": "directory",
    "/staff/committee": "open_session", "/ops/parked/lamadi.review.submissions/drop": "parked",
}


async def token_of(browser, path: str = "/staff/account") -> str:
    return csrf_token((await browser.get(path)).text)


async def test_every_page_and_action_opens_only_to_the_roles_the_policy_allows(portal, broker):
    tasks = {kind: await portal.review.queued_task(broker, kind) for kind in ("complaint", "supplier_invoice")}
    mismatches = []
    for role in ROLES:
        browser, _ = await portal.signed_in(role)
        roles = frozenset({role})
        for path, action in PAGES.items():
            answer = await browser.get(path)
            if (answer.status_code == 403) == POLICY.allows(roles, action) or answer.status_code not in (200, 403):
                mismatches.append(f"{role} GET {path}: {answer.status_code}")
        token = await token_of(browser)
        for path, action in POSTS.items():
            if POLICY.allows(roles, action):
                continue  # the allowed posts are exercised by the tests below
            answer = await browser.post(path, data={"csrftoken": token, "task_id": tasks["complaint"]["id"],
                                                    "assignee": "x@agence.ma", "kind": "complaint", "title": "T",
                                                    "body": "Texte.", "session_date": "2030-01-01"})
            if answer.status_code != 403:
                mismatches.append(f"{role} POST {path}: {answer.status_code}")
        for kind, task in tasks.items():
            page = await browser.get(f"/staff/tasks/{task['id']}")
            if (page.status_code == 200) != POLICY.allows(roles, "read", kind):
                mismatches.append(f"{role} GET task {kind}: {page.status_code}")
            claim = await browser.post(f"/staff/tasks/{task['id']}/claim", data={"csrftoken": token})
            allowed = POLICY.allows(roles, "claim", kind)
            if (claim.status_code == 303) != allowed or (not allowed and claim.status_code != 403):
                mismatches.append(f"{role} claim {kind}: {claim.status_code}")
            if claim.status_code == 303:  # put it back for the next role
                tasks[kind] = await portal.review.queued_task(broker, kind)
        await browser.aclose()
    assert not mismatches, "\n".join(mismatches)


async def test_a_reviewer_sees_no_supplier_invoice_and_no_operations_page(portal, broker):
    invoice = await portal.review.queued_task(broker, "supplier_invoice")
    complaint = await portal.review.queued_task(broker, "complaint")
    browser, _ = await portal.signed_in("reviewer")
    queue = await browser.get("/staff/tasks", params={"kind": "supplier_invoice"})
    assert invoice["tracking_number"] not in queue.text and complaint["tracking_number"] in queue.text
    assert "supplier_invoice" not in re.search(r'<select[^>]*id="q-kind".*?</select>', queue.text, re.S).group(0)
    exported = (await browser.get("/staff/tasks.csv")).text
    assert invoice["tracking_number"] not in exported and complaint["tracking_number"] in exported
    assert (await browser.get(f"/staff/tasks/{invoice['id']}")).status_code == 403
    assert 'href="/ops/' not in queue.text and 'href="/staff/finance"' not in queue.text
    for path in ("/ops/queues", "/ops/services", "/ops/deliveries", "/ops/parked/lamadi.review.submissions"):
        assert (await browser.get(path)).status_code == 403
    await browser.aclose()


async def test_the_work_queue_filters_exports_and_assigns_several_tasks_at_once(portal, broker):
    first, second = await portal.review.queued_task(broker), await portal.review.queued_task(broker)
    permit = await portal.review.queued_task(broker, "building_permit")
    reviewer_email = await portal.add("reviewer", name="Yasmine Reviewer")
    supervisor, _ = await portal.signed_in("supervisor")
    queue = await supervisor.get("/staff/tasks", params={"kind": "complaint"})
    assert first["tracking_number"] in queue.text and permit["tracking_number"] not in queue.text
    assert "Yasmine Reviewer" in queue.text  # a colleague to assign to

    assigned = await supervisor.post("/staff/tasks/assign", data={
        "csrftoken": csrf_token(queue.text), "assignee": reviewer_email,
        "task_id": [first["id"], second["id"]], "back": "kind=complaint"})
    assert assigned.status_code == 303 and assigned.headers["location"] == "/staff/tasks?kind=complaint&done=2&failed=0"
    for task in (first, second):
        seen = (await portal.review.client.get(f"/api/v1/tasks/{task['id']}", headers=ADMIN)).json()
        assert seen["assignee"] == reviewer_email
    mine = await supervisor.get("/staff/tasks", params={"assignee": reviewer_email})
    assert first["tracking_number"] in mine.text and "Yasmine Reviewer" in mine.text

    rows = list(csv.DictReader(io.StringIO((await supervisor.get("/staff/tasks.csv", params={
        "kind": "complaint", "assignee": reviewer_email})).content.decode("utf-8-sig"))))
    assert {r["tracking_number"] for r in rows} == {first["tracking_number"], second["tracking_number"]}
    assert {r["deadline_state"] for r in rows} == {"on_time"} and rows[0]["status"] == "queued"
    await supervisor.aclose()


async def test_a_reviewer_answers_a_complaint_from_its_page_starting_from_a_standard_reply(portal, broker):
    task = await portal.review.queued_task(broker)
    supervisor, _ = await portal.signed_in("supervisor")
    saved = await supervisor.post("/staff/replies", data={
        "csrftoken": await token_of(supervisor, "/staff/replies"), "kind": "complaint", "title": "Chantier signalé",
        "body": "Nous avons transmis votre signalement au service de contrôle."})
    assert saved.status_code == 303
    reviewer, email = await portal.signed_in("reviewer")
    assert (await reviewer.get("/staff/replies")).status_code == 403  # supervisors edit them

    page = await reviewer.get(f"/staff/tasks/{task['id']}")
    token = csrf_token(page.text)
    assert (await reviewer.post(f"/staff/tasks/{task['id']}/claim", data={"csrftoken": token})).status_code == 303
    page = await reviewer.get(f"/staff/tasks/{task['id']}")
    reply_id = re.search(r'\?reply=([0-9a-f-]+)#actions', page.text).group(1)
    started = await reviewer.get(f"/staff/tasks/{task['id']}", params={"reply": reply_id})
    assert "Nous avons transmis votre signalement" in re.search(r'<textarea[^>]*id="f-text".*?</textarea>',
                                                               started.text, re.S).group(0)
    refused = await reviewer.post(f"/staff/tasks/{task['id']}/decide", data={
        "csrftoken": token, "outcome": "answered", "text": ""})
    assert refused.status_code == 422 and "error-summary" in refused.text
    decided = await reviewer.post(f"/staff/tasks/{task['id']}/decide", data={
        "csrftoken": token, "outcome": "answered", "text": "Nous avons transmis votre signalement."})
    assert decided.status_code == 303 and decided.headers["location"].endswith("?done=decide")
    seen = (await portal.review.client.get(f"/api/v1/tasks/{task['id']}", headers=ADMIN)).json()
    assert (seen["status"], seen["decision"]["outcome"], seen["decision"]["by"]) == ("decided", "answered", email)
    await reviewer.aclose()
    await supervisor.aclose()


async def test_an_admin_manages_the_directory_from_its_page(portal):
    admin, _ = await portal.signed_in("admin")
    page = await admin.get("/staff/admin")
    token = csrf_token(page.text)
    short = await admin.post("/staff/admin", data={"csrftoken": token, "email": "new@agence.ma", "full_name": "Omar",
                                                   "roles": ["finance"], "password": "short"})
    assert short.status_code == 422 and await portal.pool.fetchval("SELECT count(*) FROM staff_members "
                                                                   "WHERE email = 'new@agence.ma'") == 0
    added = await admin.post("/staff/admin", data={"csrftoken": token, "email": "new@agence.ma", "full_name": "Omar",
                                                   "roles": ["finance"], "password": "another long passphrase"})
    assert added.status_code == 303
    assert (await portal.sign_in("new@agence.ma", "another long passphrase", client=portal.browser())).status_code == 303
    disabled = await admin.post("/staff/admin/new@agence.ma/disable", data={"csrftoken": token})
    assert disabled.status_code == 303
    assert (await portal.sign_in("new@agence.ma", "another long passphrase", client=portal.browser())).status_code == 403
    trail = (await admin.get("/staff/admin")).text
    assert "new@agence.ma" in trail
    assert await portal.audit("new@agence.ma") == ["staff_added", "sign_in", "staff_disabled", "sign_in_failed"]
    await admin.aclose()


async def test_documents_preview_inline_in_a_frame_of_the_portal_only_and_each_view_is_audited(portal, broker,
                                                                                             documents_dir):
    put_in_store(documents_dir, PDF)
    number = new_tracking_number()
    await broker.publish(received(number, "complaint", documents=[STORED]))

    async def found():
        answer = await portal.review.client.get("/api/v1/tasks", params={"tracking_number": number},
                                                headers=ADMIN)
        return (answer.json()["items"] or [None])[0]

    task = await wait_until(found, message="task with a document")
    reviewer, email = await portal.signed_in("reviewer")
    page = await reviewer.get(f"/staff/tasks/{task['id']}")
    assert f"/staff/tasks/{task['id']}/documents/{SHA}/preview" in page.text
    preview = await reviewer.get(f"/staff/tasks/{task['id']}/documents/{SHA}/preview")
    assert f'src="/staff/tasks/{task["id"]}/documents/{SHA}?inline=true"' in preview.text
    inline = await reviewer.get(f"/staff/tasks/{task['id']}/documents/{SHA}", params={"inline": "true"})
    assert inline.status_code == 200 and inline.content == PDF
    assert inline.headers["content-type"] == "application/pdf"
    assert inline.headers["content-disposition"].startswith("inline;")
    assert "frame-ancestors 'self'" in inline.headers["content-security-policy"]
    assert inline.headers["x-frame-options"] == "SAMEORIGIN"
    download = await reviewer.get(f"/staff/tasks/{task['id']}/documents/{SHA}")
    assert download.headers["content-disposition"].startswith("attachment;")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]  # every other page: no frame
    trail = (await portal.review.client.get(f"/api/v1/tasks/{task['id']}/audit", headers=ADMIN)).json()
    assert [e["actor"] for e in trail if e["action"] == "download_document"] == [email, email]
    await reviewer.aclose()


async def test_the_information_note_is_previewed_as_a_pdf_from_the_facts_typed(portal, broker):
    task = await portal.review.queued_task(broker, "information_note")
    reviewer, _ = await portal.signed_in("reviewer")
    page = await reviewer.get(f"/staff/tasks/{task['id']}")
    token = csrf_token(page.text)
    await reviewer.post(f"/staff/tasks/{task['id']}/claim", data={"csrftoken": token})
    page = await reviewer.get(f"/staff/tasks/{task['id']}")
    assert 'formaction="/staff/tasks/' in page.text and 'id="f-note-zoning"' in page.text
    preview = await reviewer.post(f"/staff/tasks/{task['id']}/note-preview", data={
        "csrftoken": token, "note.zoning": "Zone R+2 (habitat)", "note.allowed_height_m": "11,5",
        "note.setbacks": "4 m sur rue", "note.servitudes": "Aucune", "note.remarks": ""})
    assert preview.status_code == 200 and preview.headers["content-type"] == "application/pdf"
    assert preview.headers["content-disposition"].startswith("inline;")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(preview.content)).pages)
    assert "Zone R+2" in text and "4 m sur rue" in text and task["tracking_number"] in text
    seen = (await portal.review.client.get(f"/api/v1/tasks/{task['id']}", headers=ADMIN)).json()
    assert seen["status"] == "in_review" and seen["decision"] is None  # a preview decides nothing
    forged = await reviewer.post(f"/staff/tasks/{task['id']}/note-preview", data={"note.zoning": "x"})
    assert forged.status_code == 403
    await reviewer.aclose()


async def test_a_mangled_address_gets_a_page_not_a_stack_trace_or_json(portal):
    reviewer, _ = await portal.signed_in("reviewer")
    for path, status in (("/staff/tasks/not-a-task", 404), ("/staff/tasks?page=first", 400),
                         ("/staff/tasks/00000000-0000-0000-0000-000000000000", 404),
                         ("/staff/tasks/00000000-0000-0000-0000-000000000000/documents/not-a-sha", 404),
                         ("/ops/parked/..%2F..%2Fetc", 404), ("/ops/queues?x=1", 403)):
        answer = await reviewer.get(path)
        assert answer.status_code == status, (path, answer.status_code)
        assert answer.headers["content-type"].startswith("text/html"), path
    await reviewer.aclose()
    operator, _ = await portal.signed_in("ops")
    for path in ("/ops/reports/2026-13-45/pdf", "/ops/reports/2026-01-01/exe", "/ops/parked/some.queue/explode"):
        answer = await operator.get(path)  # one not-found page, never a blank one
        assert answer.status_code == 404 and "الصفحة غير موجودة" in answer.text, (path, answer.text[:200])
    await operator.aclose()


async def test_the_daily_reports_archive_lists_built_days_and_downloads_each_file(portal):
    ops_token = staff_token("ops", sub="ops-test", secret=portal.deps.settings.jwt_secret.get_secret_value())
    day = (portal.deps.clock() - timedelta(days=2)).date().isoformat()
    built = await portal.behind["reporting"].client.post(f"/api/v1/reports/daily/{day}/build",
                                                         headers={"Authorization": f"Bearer {ops_token}"})
    assert {f["format"] for f in built.json()["files"]} == {"pdf", "xlsx", "csv", "json"}
    supervisor, _ = await portal.signed_in("supervisor")
    archive = await supervisor.get("/ops/reports")
    assert archive.status_code == 200 and f'href="/ops/reports/{day}/pdf"' in archive.text
    pdf = await supervisor.get(f"/ops/reports/{day}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-disposition"].startswith("attachment;")
    csv_file = await supervisor.get(f"/ops/reports/{day}/csv")
    assert csv_file.status_code == 200 and csv_file.headers["content-type"].startswith("text/csv")
    assert (await supervisor.get(f"/ops/reports/{day}/exe")).status_code == 404
    reviewer, _ = await portal.signed_in("reviewer")
    assert (await reviewer.get("/ops/reports")).status_code == 403
    assert (await reviewer.get(f"/ops/reports/{day}/pdf")).status_code == 403
    await supervisor.aclose()
    await reviewer.aclose()
