"""A complaint followed through the four services, each its own process, with real
PostgreSQL, RabbitMQ and SMTP: every email exactly once, the public timeline, the report."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from tests.files import MINIMAL_PDF, complaint
from tests.support import wait_until

APPLICANT = "amina@example.ma"


def emails_to(system, address: str) -> list:
    return [m for m in system.mailcatcher.messages() if m["To"] and address in m["To"]]


def templates_sent(system, address: str) -> list[str]:
    return sorted(m["X-Lamadi-Template"] for m in emails_to(system, address))


async def find_task(system, tracking_number: str, status: str, reviewer: dict) -> dict:
    async def task():
        answer = await system.http.get(system.url("review", "/api/v1/tasks"), headers=reviewer,
                                       params={"tracking_number": tracking_number})
        tasks = [t for t in answer.json()["items"] if t["status"] == status] if answer.status_code == 200 else []
        return tasks[0] if tasks else None

    return await wait_until(task, message=f"task {tracking_number} {status}")


async def test_a_complaint_from_filing_to_decision_email_and_daily_report(system):
    http = system.http
    reviewer = system.staff("reviewer", "reviewer-fatima")

    # 1. Filed by JSON: 202, and the receipt email arrives with the tracking number.
    filed = await http.post(system.url("intake", "/api/v1/submissions"), json=complaint(email=APPLICANT))
    assert filed.status_code == 202, filed.text
    tracking_number, token = filed.json()["tracking_number"], filed.json()["access_token"]
    public = system.url("intake", f"/api/v1/submissions/{tracking_number}")
    applicant = {"X-Access-Token": token}
    receipt = await wait_until(lambda: emails_to(system, APPLICANT), message="receipt email")
    assert tracking_number in receipt[0]["Subject"]

    # 2. A reviewer claims it and issues observations; the applicant gets that email.
    task = await find_task(system, tracking_number, "queued", reviewer)
    claimed = await http.post(system.url("review", f"/api/v1/tasks/{task['id']}/claim"), headers=reviewer)
    assert claimed.status_code == 200, claimed.text
    observations = "Merci de joindre une photo du chantier et le numéro de la parcelle."
    issued = await http.post(system.url("review", f"/api/v1/tasks/{task['id']}/observations"), headers=reviewer,
                             json={"observations": observations})
    assert issued.status_code == 200, issued.text
    await wait_until(lambda: len(emails_to(system, APPLICANT)) == 2, message="observations email")
    await wait_until(lambda: _public_status(http, public, applicant, "awaiting_applicant"), message="awaiting")

    # 3. The applicant answers with a PDF: the task is back in the queue.
    answered = await http.post(f"{public}/responses", headers=applicant,
                               data={"response": json.dumps({"message": "Voici la photo et la parcelle 1234/K."})},
                               files=[("documents", ("parcelle.pdf", MINIMAL_PDF, "application/pdf"))])
    assert answered.status_code == 200, answered.text
    task = await find_task(system, tracking_number, "queued", reviewer)
    assert any(d["name"] == "parcelle.pdf" for d in task["documents"])

    # 4. Claimed again and decided: the decision email arrives, the filing closes.
    assert (await http.post(system.url("review", f"/api/v1/tasks/{task['id']}/claim"), headers=reviewer)).status_code == 200
    decision_text = "Le chantier a été contrôlé ; un procès-verbal a été dressé."
    decided = await http.post(system.url("review", f"/api/v1/tasks/{task['id']}/decision"), headers=reviewer,
                              json={"outcome": "answered", "text": decision_text})
    assert decided.status_code == 200, decided.text
    view = await wait_until(lambda: _public_status(http, public, applicant, "closed"), message="closed")

    # Exactly these emails, each once, each naming the filing.
    assert templates_sent(system, APPLICANT) == ["decision", "observations", "receipt"]
    assert all(tracking_number in m["Subject"] for m in emails_to(system, APPLICANT))
    decision_email = next(m for m in emails_to(system, APPLICANT) if m["X-Lamadi-Template"] == "decision")
    assert decision_text in decision_email.get_body(("plain",)).get_content()

    # The public status shows the decision and every step.
    assert view["decision"]["outcome"] == "answered" and view["decision"]["text"] == decision_text
    assert [o["text"] for o in view["observations"]] == [observations]
    steps = [s["step"] for s in view["timeline"]]
    for step in ("received", "queued", "claimed", "observations_issued", "resubmitted", "decided", "closed"):
        assert step in steps, steps
    assert steps.count("email_sent") == 3
    assert steps[0] == "received" and steps[-1] == "closed"

    # The daily report counts it.
    today = datetime.now(ZoneInfo("Africa/Casablanca")).date().isoformat()
    supervisor = system.staff("supervisor", "supervisor-omar")

    async def complaint_row():
        answer = await http.get(system.url("reporting", "/api/v1/reports/daily"), headers=supervisor,
                                params={"date": today})
        rows = {row["kind"]: row for row in answer.json()["kinds"]}
        row = rows.get("complaint")
        return row if row and row["decided"] == 1 and row["emails_sent"] == 3 else None

    row = await wait_until(complaint_row, message="report counts the complaint")
    assert row["received"] == 1 and row["pending"] == 0

    # Nothing arrived twice after things settled.
    assert templates_sent(system, APPLICANT) == ["decision", "observations", "receipt"]


async def _public_status(http, url: str, headers: dict, status: str):
    view = (await http.get(url, headers=headers)).json()
    return view if view["status"] == status else None
