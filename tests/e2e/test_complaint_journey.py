"""A complaint followed through the four services, each its own process, with real
PostgreSQL, RabbitMQ and SMTP: every email exactly once, the public timeline, the report."""

from __future__ import annotations

import json

from tests.e2e.journey import Journey
from tests.files import MINIMAL_PDF


async def test_a_complaint_from_filing_to_decision_email_and_daily_report(system):
    j = Journey(system, "complaint", email="amina@example.ma")

    # 1. Filed by JSON: 202, and the receipt email arrives with the tracking number.
    await j.file(as_json=True)
    receipt = (await j.wait_emails(1))[0]
    assert j.tracking_number in receipt["Subject"]

    # 2. A reviewer claims it and issues observations; the applicant gets that email.
    await j.wait_task("queued")
    await j.staff_post("claim", "reviewer", "reviewer-fatima")
    observations = "Merci de joindre une photo du chantier et le numéro de la parcelle."
    await j.staff_post("observations", "reviewer", "reviewer-fatima", {"observations": observations})
    await j.wait_emails(2)
    await j.wait_public_status("awaiting_applicant")

    # 3. The applicant answers with a PDF: the task is back in the queue.
    answered = await system.http.post(
        f"{j.public_url}/responses", headers={"X-Access-Token": j.token},
        data={"response": json.dumps({"message": "Voici la photo et la parcelle 1234/K."})},
        files=[("documents", ("parcelle.pdf", MINIMAL_PDF, "application/pdf"))])
    assert answered.status_code == 200, answered.text
    task = await j.wait_task("queued")
    assert any(d["name"] == "parcelle.pdf" for d in task["documents"])

    # 4. Claimed again and decided: the decision email arrives, the filing closes.
    await j.staff_post("claim", "reviewer", "reviewer-fatima")
    decision_text = "Le chantier a été contrôlé ; un procès-verbal a été dressé."
    await j.staff_post("decision", "reviewer", "reviewer-fatima", {"outcome": "answered", "text": decision_text})
    await j.wait_emails(3)
    view = await j.wait_public_status("closed")

    # Exactly these emails, each once, each naming the filing.
    assert j.templates() == ["decision", "observations", "receipt"]
    assert all(j.tracking_number in m["Subject"] for m in j.emails())
    assert decision_text in j.one_email("decision").get_body(("plain",)).get_content()

    # The public status shows the decision and every step.
    assert view["decision"]["outcome"] == "answered" and view["decision"]["text"] == decision_text
    assert [o["text"] for o in view["observations"]] == [observations]
    steps = [s["step"] for s in view["timeline"]]
    for step in ("received", "queued", "claimed", "observations_issued", "resubmitted", "decided", "closed"):
        assert step in steps, steps
    assert steps.count("email_sent") == 3
    assert steps[0] == "received" and steps[-1] == "closed"

    # The daily report counts it; nothing arrived twice after things settled.
    await j.wait_report(received=1, decided=1, pending=0, emails_sent=3)
    assert j.templates() == ["decision", "observations", "receipt"]
