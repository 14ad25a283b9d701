"""Each kind of the catalogue driven from filing to its final state through the four services
as processes: the emails (each exactly once), the public status and the daily report."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.builders import staff_headers
from tests.e2e.journey import Journey


def attached_pdf_text(message, prefix: str = "") -> str:
    """The text of the one PDF attached whose file name starts with ``prefix``."""
    parts = [p for p in message.iter_attachments()
             if p.get_content_type() == "application/pdf" and p.get_filename().startswith(prefix)]
    assert len(parts) == 1, "one PDF attached"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(parts[0].get_content())).pages)


async def test_information_note_ends_with_the_note_as_an_arabic_pdf(shared_system):
    j = Journey(shared_system, "information_note", email="owner@example.ma", language="ar")
    await j.file()
    receipt = (await j.wait_emails(1))[0]
    assert j.tracking_number in attached_pdf_text(receipt)
    await j.wait_task("queued")
    await j.staff_post("claim", "reviewer", "reviewer-fatima")
    note = {"zoning": "Zone R2 : habitat individuel", "allowed_height_m": 8.5, "setbacks": "4 m sur rue",
            "servitudes": "Alignement de la voie projetée"}
    await j.staff_post("decision", "reviewer", "reviewer-fatima",
                       {"outcome": "note_issued", "text": "Note délivrée.", "note": note})
    view = await j.wait_public_status("closed")
    assert view["decision"]["outcome"] == "note_issued"
    assert j.templates() == ["decision", "receipt"]
    decision = j.one_email("decision")
    assert len(list(decision.iter_attachments())) == 2  # the decision letter beside the note
    note_text = attached_pdf_text(decision, "note-")
    assert j.tracking_number in note_text and "مذكرة المعلومات التعميرية" in note_text
    await j.wait_report(received=1, decided=1, pending=0, emails_sent=2)


async def test_pre_study_observations_then_a_new_filing_linked_to_it(shared_system):
    j = Journey(shared_system, "pre_study", email="architect@example.ma")
    await j.file()
    await j.wait_task("queued")
    await j.staff_post("claim", "reviewer", "reviewer-said")
    observations = ["Réduire l'emprise au sol à 60 %.", "Prévoir un parking en sous-sol."]
    await j.staff_post("decision", "reviewer", "reviewer-said",
                       {"outcome": "observations_issued", "text": "Observations préliminaires.",
                        "preliminary_observations": observations})
    view = await j.wait_public_status("closed")
    assert view["decision"]["preliminary_observations"] == observations
    assert j.templates() == ["decision", "receipt"]
    assert observations[0] in j.one_email("decision").get_body(("plain",)).get_content()

    again = Journey(shared_system, "pre_study", email="architect@example.ma", previous_tracking_number=j.tracking_number)
    await again.file()
    task = await again.wait_task("queued")
    assert task["previous"]["tracking_number"] == j.tracking_number
    assert task["previous"]["preliminary_observations"] == observations
    assert (await again.public_view())["previous_tracking_number"] == j.tracking_number
    await j.wait_report(received=2, decided=1, pending=1)


async def test_building_permit_committee_unfavourable_then_contested_once_then_approved(shared_system):
    j = Journey(shared_system, "building_permit", email="promoteur@example.ma", project_size="large")
    await j.file()
    await j.wait_task("queued")
    supervisor = staff_headers("supervisor", sub="supervisor-omar")
    session = await shared_system.http.post(shared_system.url("review", "/api/v1/committee/sessions"),
                                            headers=supervisor, json={"session_date": "2026-12-03"})
    assert session.status_code == 201, session.text
    await j.staff_post("claim", "reviewer", "reviewer-fatima")
    await j.staff_post("refer", "reviewer", "reviewer-fatima", {"session_id": session.json()["id"]})
    for member, opinion in (("member-a", "favourable"), ("member-b", "favourable_with_conditions"),
                            ("member-c", "unfavourable")):
        await j.staff_post("opinions", "committee", member, {"opinion": opinion, "motive": f"Avis de {member}"},
                           status=201)
    await j.staff_post("publish", "supervisor", "supervisor-omar")
    view = await j.wait_public_status("closed")
    assert view["decision"]["outcome"] == "rejected"
    opinions = (await shared_system.http.get(shared_system.url("intake", "/api/v1/opinions"))).json()
    published = [o for o in opinions["items"] if o["reference"] == j.tracking_number]
    assert [o["opinion"] for o in published] == ["unfavourable"]

    await j.applicant_post("contest", {"motive": "Le projet respecte le plan d'aménagement."})
    second = await shared_system.http.post(f"{j.public_url}/contest", headers={"X-Access-Token": j.token},
                                           json={"motive": "Encore"})
    assert second.status_code == 409
    task = await j.wait_task("queued")
    assert task["contested"] is True
    await j.staff_post("claim", "reviewer", "reviewer-fatima")
    await j.staff_post("refer", "reviewer", "reviewer-fatima", {"session_id": session.json()["id"]})
    await j.staff_post("opinions", "committee", "member-a", {"opinion": "favourable", "motive": "Conforme."},
                       status=201)
    await j.staff_post("publish", "supervisor", "supervisor-omar")
    await j.wait_emails(4)
    view = await j.wait_public_status("closed")
    assert view["decision"]["outcome"] == "approved"
    assert j.templates() == ["contest_received", "decision", "decision", "receipt"]
    await j.wait_report(received=1, decided=2, opinions_published=2, emails_sent=4)


async def test_subdivision_permit_adjourned_then_approved_with_conditions(shared_system):
    j = Journey(shared_system, "subdivision_permit", email="geometre@example.ma", language="ar")
    await j.file()
    await j.wait_task("queued")
    await j.staff_post("claim", "reviewer", "reviewer-fatima")
    await j.staff_post("refer", "reviewer", "reviewer-fatima", {})
    await j.staff_post("opinions", "committee", "member-a", {"opinion": "adjourned", "motive": "Plan à compléter."},
                       status=201)
    await j.staff_post("publish", "supervisor", "supervisor-omar")
    await j.wait_emails(2)
    assert (await j.wait_task("in_committee"))["committee_round"] == 2
    await j.staff_post("opinions", "committee", "member-a",
                       {"opinion": "favourable_with_conditions", "motive": "Voirie à céder."}, status=201)
    await j.staff_post("publish", "supervisor", "supervisor-omar")
    await j.wait_emails(3)
    view = await j.wait_public_status("closed")
    assert view["decision"]["outcome"] == "approved_with_conditions"
    assert j.templates() == ["committee_adjourned", "decision", "receipt"]
    await j.wait_report(received=1, decided=1, opinions_published=2, emails_sent=3)


async def test_supplier_invoice_verified_approved_then_paid_each_step_emailed(shared_system):
    j = Journey(shared_system, "supplier_invoice", email="compta@atlas.ma")
    await j.file()
    await j.wait_task("queued", role="finance")
    await j.staff_post("claim", "finance", "finance-nadia")
    await j.staff_post("steps", "finance", "finance-nadia", {"step": "verified"})
    await j.staff_post("steps", "finance", "finance-nadia", {"step": "approved_for_payment", "note": "OP 2026/311"})
    await j.staff_post("decision", "finance", "finance-nadia", {"outcome": "paid", "text": "Virement effectué."})
    await j.wait_emails(4)
    view = await j.wait_public_status("closed")
    assert view["decision"]["outcome"] == "paid"
    assert j.templates() == ["decision", "invoice_step", "invoice_step", "receipt"]
    steps = [s["step"] for s in view["timeline"]]
    assert steps.count("step_recorded") == 2
    await j.wait_report(received=1, decided=1, emails_sent=4)


async def test_an_open_filing_withdrawn_by_its_applicant(shared_system):
    j = Journey(shared_system, "complaint", email="retrait@example.ma")
    await j.file()
    await j.wait_task("queued")
    await j.applicant_post("withdraw", {"reason": "Le problème est réglé."})
    await j.wait_task("withdrawn")
    await j.wait_emails(2)
    assert j.templates() == ["receipt", "withdrawal"]
    assert (await j.public_view())["status"] == "withdrawn"
    await j.wait_report(received=1, withdrawn=1, pending=0)
