"""Intake against the real PostgreSQL and RabbitMQ: filing, idempotency, documents, bad input,
the public status following review, committee and notification events, pre-study history,
contests and the published committee opinions."""

from __future__ import annotations

import json
import re
from uuid import uuid4

import pytest

from services.intake.settings import IntakeSettings
from shared.events import (
    CommitteeOpinionPublished,
    CommitteeOpinionRecorded,
    ReviewClaimed,
    ReviewDecided,
    ReviewObservationsIssued,
    ReviewReferredToCommittee,
    ReviewTaskQueued,
)
from tests.builders import notification_sent, review_event
from tests.files import MINIMAL_PDF, TINY_PNG, complaint, filing, multipart
from tests.in_process import served
from tests.support import count, free_port, service_env, wait_until


async def test_a_json_complaint_is_accepted_with_a_receipt_and_one_outbox_event(intake):
    response = await intake.client.post("/api/v1/submissions", json=complaint())
    assert response.status_code == 202, response.text
    body = response.json()
    assert re.fullmatch(r"AU-\d{4}-[0-9A-Z]{5}-[0-9A-Z]{5}", body["tracking_number"])
    assert response.headers["Location"] == f"/api/v1/submissions/{body['tracking_number']}"
    assert body["status"] == "received" and len(body["access_token"]) >= 40
    row = await intake.pool.fetchrow("SELECT routing_key, envelope FROM outbox")
    assert row["routing_key"] == "submission.received.v1"
    assert row["envelope"]["subject"] == body["tracking_number"]
    assert row["envelope"]["data"]["applicant"]["email"] == "amina@example.ma"
    status = await intake.client.get(body["location"], headers={"X-Access-Token": body["access_token"]})
    assert status.status_code == 200
    assert status.json()["status"] == "received"
    assert [step["step"] for step in status.json()["timeline"]] == ["received"]
    # The token is stored hashed, never as given.
    stored = await intake.pool.fetchval("SELECT access_token_hash FROM submissions")
    assert body["access_token"].encode() not in bytes(stored)


async def test_two_filings_get_unrelated_tracking_numbers(intake):
    first = (await intake.client.post("/api/v1/submissions", json=complaint())).json()["tracking_number"]
    second = (await intake.client.post("/api/v1/submissions", json=complaint())).json()["tracking_number"]
    assert first != second
    assert first.split("-")[2:] != second.split("-")[2:]


@pytest.mark.parametrize("token", [None, "wrong-token"])
async def test_a_wrong_or_missing_token_gets_404_without_a_hint(intake, token):
    body = (await intake.client.post("/api/v1/submissions", json=complaint())).json()
    headers = {"X-Access-Token": token} if token else {}
    found = await intake.client.get(body["location"], headers=headers)
    unknown = await intake.client.get("/api/v1/submissions/AU-2026-00000-00000", headers=headers)
    assert found.status_code == unknown.status_code == 404
    assert found.json()["detail"] == unknown.json()["detail"]
    assert found.headers["content-type"] == "application/problem+json"


async def test_idempotency_key_returns_the_first_answer_without_a_second_filing(intake):
    headers = {"Idempotency-Key": str(uuid4())}
    first = await intake.client.post("/api/v1/submissions", json=complaint(), headers=headers)
    again = await intake.client.post("/api/v1/submissions", json=complaint(), headers=headers)
    assert first.status_code == again.status_code == 202
    assert again.json()["tracking_number"] == first.json()["tracking_number"]
    assert again.json()["access_token"] == first.json()["access_token"]
    assert await count(intake.pool, "submissions") == 1
    assert await count(intake.pool, "outbox") == 1
    other = await intake.client.post("/api/v1/submissions", json=complaint(full_name="Autre Personne"), headers=headers)
    assert other.status_code == 422
    assert await count(intake.pool, "submissions") == 1


async def test_multipart_filing_with_documents_records_their_sha256(intake, tmp_path):
    files = [("documents", ("plan.pdf", MINIMAL_PDF, "application/pdf")),
             ("documents", ("../../etc/photo.png", TINY_PNG, "image/png"))]
    response = await intake.client.post("/api/v1/submissions", data={"submission": json.dumps(complaint())}, files=files)
    assert response.status_code == 202, response.text
    rows = await intake.pool.fetch("SELECT name, content_type, sha256, size FROM documents ORDER BY id")
    assert [r["content_type"] for r in rows] == ["application/pdf", "image/png"]
    assert "/" not in rows[1]["name"] and ".." not in rows[1]["name"]
    import hashlib
    assert rows[0]["sha256"] == hashlib.sha256(MINIMAL_PDF).hexdigest()
    event = await intake.pool.fetchval("SELECT envelope FROM outbox")
    assert [d["sha256"] for d in event["data"]["documents"]] == [r["sha256"] for r in rows]


BAD_FILINGS = {
    "unknown kind": ({**complaint(), "kind": "marriage_licence"}, 422, "body.kind"),
    "missing field": ({k: v for k, v in complaint().items() if k != "message"}, 422, "body.complaint.message"),
    "wrong email": (complaint(email="not-an-email"), 422, "body.complaint.applicant.email"),
    "invalid ICE": ({"kind": "supplier_invoice", "company_name": "Bureau Atlas", "ice": "123456789012345",
                     "invoice_number": "F-12", "invoice_date": "2026-10-01", "amount_mad": "12000.00",
                     "applicant": complaint()["applicant"]}, 422, "body.supplier_invoice.ice"),
}


@pytest.mark.parametrize("case", BAD_FILINGS)
async def test_bad_filings_get_a_problem_with_the_field_and_store_nothing(intake, case):
    payload, status, field = BAD_FILINGS[case]
    response = await intake.client.post("/api/v1/submissions", json=payload)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [error["field"] for error in response.json()["errors"]]
    assert await count(intake.pool, "submissions") == 0
    assert await count(intake.pool, "outbox") == 0


async def test_malformed_json_is_a_400_problem(intake):
    response = await intake.client.post("/api/v1/submissions", content=b'{"kind": "complaint",',
                                        headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["title"] == "Malformed JSON"
    assert await count(intake.pool, "submissions") == 0


async def test_a_text_file_named_pdf_is_refused_and_nothing_is_kept(intake, tmp_path):
    files = [("documents", ("plan.pdf", b"this is only text, not a PDF\n" * 20, "application/pdf"))]
    response = await intake.client.post("/api/v1/submissions", data={"submission": json.dumps(complaint())}, files=files)
    assert response.status_code == 415
    assert "plan.pdf" in response.json()["detail"]
    assert await count(intake.pool, "submissions") == 0
    assert not [p for p in (tmp_path / "documents").rglob("*") if p.is_file()]


async def test_a_30_mb_document_is_refused_and_nothing_is_kept(intake, tmp_path):
    big = MINIMAL_PDF + b"\0" * (30 * 1024 * 1024)
    files = [("documents", ("huge.pdf", big, "application/pdf"))]
    response = await intake.client.post("/api/v1/submissions", data={"submission": json.dumps(complaint())}, files=files)
    assert response.status_code == 413
    assert await count(intake.pool, "submissions") == 0
    assert not [p for p in (tmp_path / "documents").rglob("*") if p.is_file()]


async def test_intake_accepts_filings_while_the_broker_is_unreachable(database, tmp_path, monkeypatch):
    for key, value in service_env(database, "nowhere", amqp_port=free_port()).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("LAMADI_DOCUMENTS_DIR", str(tmp_path))
    async with served("intake", IntakeSettings(), wait_ready=False) as intake:
        response = await intake.client.post("/api/v1/submissions", json=complaint())
        assert response.status_code == 202
        ready = await intake.client.get("/readyz")
        assert ready.status_code == 503 and ready.json()["checks"]["broker"] is False
        pending = await intake.pool.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")
        assert pending == 1


async def test_public_status_follows_review_events_even_out_of_order(intake, broker):
    body = (await intake.client.post("/api/v1/submissions", json=complaint())).json()
    tn, headers = body["tracking_number"], {"X-Access-Token": body["access_token"]}
    # Claimed (v2) arrives before queued (v1): the public status must end at in_review.
    queued = review_event(ReviewTaskQueued, tn, "complaint", status="queued", version=1)
    claimed = review_event(ReviewClaimed, tn, "complaint", status="in_review", version=2, assignee="reviewer-1")
    await broker.publish(claimed)
    await broker.publish(queued)

    async def status():
        view = (await intake.client.get(body["location"], headers=headers)).json()
        return view if len(view["timeline"]) == 3 else None

    view = await wait_until(status, message="two review steps")
    assert view["status"] == "in_review"
    await broker.publish(review_event(ReviewObservationsIssued, tn, "complaint", status="awaiting_applicant", version=3,
                                      observations="Merci de joindre le plan de situation."))
    await wait_until(lambda: intake.status_is(body, "awaiting_applicant"), message="awaiting_applicant")
    answer = await intake.client.post(f"{body['location']}/responses", headers=headers,
                                      data={"response": json.dumps({"message": "Voici le plan."})},
                                      files=[("documents", ("situation.pdf", MINIMAL_PDF, "application/pdf"))])
    assert answer.status_code == 200 and answer.json()["status"] == "queued"
    again = await intake.client.post(f"{body['location']}/responses", headers=headers, json={"message": "Encore"})
    assert again.status_code == 409
    await broker.publish(review_event(ReviewDecided, tn, "complaint", status="decided", version=6, outcome="answered",
                                      text="Réponse."))
    await wait_until(lambda: intake.status_is(body, "decided"), message="decided")
    await broker.publish(notification_sent(tn, "complaint", template="decision"))
    view = await wait_until(lambda: intake.status_is(body, "closed"), message="closed")
    assert view["decision"]["outcome"] == "answered"
    assert view["observations"][0]["text"] == "Merci de joindre le plan de situation."
    assert [s["step"] for s in view["timeline"]] == [
        "received", "queued", "claimed", "observations_issued", "resubmitted", "decided", "email_sent", "closed"]
    withdraw = await intake.client.post(f"{body['location']}/withdraw", headers=headers)
    assert withdraw.status_code == 409


async def test_withdrawal_of_an_open_filing_emits_an_event(intake):
    body = (await intake.client.post("/api/v1/submissions", json=complaint())).json()
    headers = {"X-Access-Token": body["access_token"]}
    response = await intake.client.post(f"{body['location']}/withdraw", headers=headers, json={"reason": "Résolu"})
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    types = [r["routing_key"] for r in await intake.pool.fetch("SELECT routing_key FROM outbox ORDER BY id")]
    assert types == ["submission.received.v1", "submission.withdrawn.v1"]


async def test_catalogue_lists_every_kind_with_both_labels(intake):
    entries = (await intake.client.get("/api/v1/catalogue")).json()
    assert {e["kind"] for e in entries} == {"information_note", "complaint", "pre_study", "building_permit",
                                            "subdivision_permit", "supplier_invoice"}
    assert all(e["labels"]["ar"] and e["labels"]["fr"] for e in entries)


async def test_a_pre_study_filed_again_links_the_decided_one(intake, broker):
    first = await intake.file("pre_study")
    await intake.decide(broker, first, "pre_study", "observations_issued", preliminary_observations=["Respecter le recul de 5 m."])
    again = filing("pre_study", previous_tracking_number=first["tracking_number"])
    response = await intake.client.post("/api/v1/submissions", **multipart(again))
    assert response.status_code == 202, response.text
    body = response.json()
    view = (await intake.client.get(body["location"], headers={"X-Access-Token": body["access_token"]})).json()
    assert view["previous_tracking_number"] == first["tracking_number"]
    event = await intake.pool.fetchval("SELECT envelope FROM outbox WHERE envelope->>'subject' = $1",
                                       body["tracking_number"])
    assert event["data"]["previous_tracking_number"] == first["tracking_number"]
    assert "previous_tracking_number" not in event["data"]["details"]
    earlier = (await intake.client.get(first["location"], headers={"X-Access-Token": first["access_token"]})).json()
    assert earlier["decision"]["preliminary_observations"] == ["Respecter le recul de 5 m."]
    assert "event_id" not in earlier["decision"]


async def test_a_pre_study_cannot_link_an_unknown_undecided_or_foreign_filing(intake, broker):
    undecided = await intake.file("pre_study")
    foreign = await intake.file("pre_study", email="autre@example.ma")
    await intake.decide(broker, foreign, "pre_study", "observations_issued", preliminary_observations=["Non."])
    complaint_filed = await intake.file("complaint")
    await intake.decide(broker, complaint_filed, "complaint", "answered")
    cases = {"AU-2026-00000-00000": "No filing of yours", undecided["tracking_number"]: "not decided",
             foreign["tracking_number"]: "No filing of yours", complaint_filed["tracking_number"]: "not a pre-study"}
    before = await count(intake.pool, "submissions")
    for previous, reason in cases.items():
        response = await intake.client.post("/api/v1/submissions",
                                            **multipart(filing("pre_study", previous_tracking_number=previous)))
        assert response.status_code == 422, response.text
        assert reason in response.json()["detail"]
        assert [e["field"] for e in response.json()["errors"]] == ["body.pre_study.previous_tracking_number"]
    assert await count(intake.pool, "submissions") == before


async def test_a_rejected_permit_is_contested_once_and_review_versions_move_it_again(intake, broker):
    body = await intake.file("building_permit")
    tn, headers = body["tracking_number"], {"X-Access-Token": body["access_token"]}
    rejected = await intake.decide(broker, body, "building_permit", "rejected", committee_opinion="unfavourable")
    contest_url = f"{body['location']}/contest"
    assert (await intake.client.post(contest_url, json={"motive": "Plans corrigés"})).status_code == 404  # no token
    response = await intake.client.post(contest_url, headers=headers, json={"motive": "Le recul respecte le plan."})
    assert response.status_code == 200, response.text
    assert response.json() == {"tracking_number": tn, "status": "queued"}
    row = await intake.pool.fetchrow("SELECT envelope FROM outbox WHERE routing_key = 'submission.contested.v1'")
    assert row["envelope"]["subject"] == tn
    assert row["envelope"]["data"] == {"tracking_number": tn, "kind": "building_permit",
                                       "motive": "Le recul respecte le plan.",
                                       # whom the notifier writes to, whatever it has seen before
                                       "contact": {"full_name": "Amina Berrada", "email": "amina@example.ma",
                                                   "language": "fr"}}
    view = (await intake.client.get(body["location"], headers=headers)).json()
    assert view["status"] == "queued" and view["decision"] is None
    assert view["contest"]["contested_decision"]["outcome"] == "rejected"
    assert view["timeline"][-1]["step"] == "contested"

    again = await intake.client.post(contest_url, headers=headers, json={"motive": "Encore"})
    assert again.status_code == 409 and "already contested" in again.json()["detail"]
    assert await count(intake.pool, "outbox") == 2  # received, contested

    # A late copy of the first decision's email must not close the reopened filing.
    await broker.publish(notification_sent(tn, "building_permit", template="decision", cause_event_id=rejected.id))

    async def late_email_seen():
        view = (await intake.client.get(body["location"], headers=headers)).json()
        return view if [s["step"] for s in view["timeline"]].count("email_sent") == 2 else None

    assert (await wait_until(late_email_seen, message="late email recorded"))["status"] == "queued"
    assert await intake.pool.fetchval("SELECT decision_emailed FROM submissions") is False
    await broker.publish(review_event(ReviewTaskQueued, tn, "building_permit", status="queued", version=6,
                                      reason="contested"))
    await broker.publish(review_event(ReviewClaimed, tn, "building_permit", status="in_review", version=7,
                                      assignee="r-1"))
    await wait_until(lambda: intake.status_is(body, "in_review"), message="in review again")
    approved = await intake.decide(broker, body, "building_permit", "approved", version=9, email=False, committee_opinion="favourable")
    await intake.email_decision(broker, body, "building_permit", approved.id)
    view = (await intake.client.get(body["location"], headers=headers)).json()
    assert view["decision"]["outcome"] == "approved"
    steps = [s["step"] for s in view["timeline"]]
    assert steps.count("closed") == 2 and steps.index("contested") < steps.index("claimed")


async def test_only_a_rejected_committee_decision_can_be_contested(intake, broker):
    complaint_filed = await intake.file("complaint")
    await intake.decide(broker, complaint_filed, "complaint", "answered")
    approved = await intake.file("building_permit")
    await intake.decide(broker, approved, "building_permit", "approved")
    open_permit = await intake.file("subdivision_permit")
    for body, reason in ((complaint_filed, "Only committee decisions"), (approved, "Only a rejected"),
                         (open_permit, "Only a decided filing")):
        response = await intake.client.post(f"{body['location']}/contest", headers={"X-Access-Token": body["access_token"]},
                                            json={"motive": "Je conteste."})
        assert response.status_code == 409 and reason in response.json()["detail"], response.text
    assert await intake.pool.fetchval("SELECT count(*) FROM outbox WHERE routing_key = 'submission.contested.v1'") == 0
    assert await intake.pool.fetchval("SELECT count(*) FROM submissions WHERE contest IS NOT NULL") == 0


async def test_published_opinions_are_public_without_personal_data(intake, broker):
    permit = await intake.file("building_permit")
    subdivision = await intake.file("subdivision_permit")
    tn = permit["tracking_number"]
    await broker.publish(review_event(ReviewReferredToCommittee, tn, "building_permit", status="in_committee",
                                      version=3, session_date="2026-12-01"))
    await broker.publish(review_event(CommitteeOpinionRecorded, tn, "building_permit", status="in_committee",
                                      version=4, member="membre-karim", opinion="unfavourable",
                                      motive="Hauteur dépassée"))
    await broker.publish(review_event(CommitteeOpinionPublished, tn, "building_permit", status="in_committee",
                                      version=5, opinion="unfavourable", motive="Hauteur dépassée",
                                      session_date="2026-12-01"))
    await broker.publish(review_event(CommitteeOpinionPublished, subdivision["tracking_number"], "subdivision_permit",
                                      status="in_committee", version=5, opinion="adjourned", motive="Plan incomplet"))

    async def two_opinions():
        page = (await intake.client.get("/api/v1/opinions")).json()
        return page if page["total"] == 2 else None

    page = await wait_until(two_opinions, message="two published opinions")
    newest, older = page["items"]
    assert newest["reference"] == subdivision["tracking_number"] and newest["opinion"] == "adjourned"
    assert newest["project"] == "subdivision" and newest["commune"] == "M'rirt"
    assert older == {"reference": tn, "kind": "building_permit", "commune": "Khénifra",
                     "project": "Maison individuelle R+1", "opinion": "unfavourable", "motive": "Hauteur dépassée",
                     "session_date": "2026-12-01", "published_at": older["published_at"]}
    text = json.dumps(page)
    for personal in ("Amina", "amina@example.ma", "600 000", "membre-karim", "OA-4521"):
        assert personal not in text
    one = (await intake.client.get("/api/v1/opinions", params={"limit": 1, "offset": 1})).json()
    assert one["total"] == 2 and [o["reference"] for o in one["items"]] == [tn]
    only = (await intake.client.get("/api/v1/opinions", params={"kind": "building_permit"})).json()
    assert [o["reference"] for o in only["items"]] == [tn]

    async def permit_view():
        view = (await intake.client.get(permit["location"], headers={"X-Access-Token": permit["access_token"]})).json()
        handled = await intake.pool.fetchval("SELECT count(*) FROM inbox")  # the four events fed above
        return view if handled == 4 else None

    view = await wait_until(permit_view, message="committee steps followed")
    steps = [s["step"] for s in view["timeline"]]
    assert steps == ["received", "referred_to_committee", "opinion_published"]  # one member's opinion is not shown
    assert view["status"] == "in_committee" and "membre-karim" not in json.dumps(view)


async def test_the_receipt_is_not_served_before_the_notifier_issued_it(intake):
    """Intake serves the receipt the notifier issued (tests/integration/test_issued_documents.py);
    asked for before, it says so and when to ask again, and a wrong access code learns nothing."""
    body = await intake.file("building_permit")
    headers = {"X-Access-Token": body["access_token"]}
    answer = await intake.client.get(f"{body['location']}/receipt", headers=headers)
    assert answer.status_code == 409, answer.text
    assert answer.json()["title"] == "Not issued yet" and "few seconds" in answer.json()["detail"]
    assert (await intake.view(body))["issued_documents"] == []
    wrong = await intake.client.get(f"{body['location']}/receipt", headers={"X-Access-Token": "not-the-code"})
    assert wrong.status_code == 404


async def test_opinions_filter_by_agency_day_and_the_view_shows_the_deadline_review_set(intake, broker):
    from datetime import datetime, timezone

    permit = await intake.file("building_permit")
    tn = permit["tracking_number"]
    late_evening = datetime(2026, 11, 30, 23, 30, tzinfo=timezone.utc)  # 1 Dec, 00:30 in Casablanca
    published = review_event(CommitteeOpinionPublished, tn, "building_permit", status="in_committee", version=5,
                             opinion="favourable", motive="Conforme", session_date="2026-11-30", at=late_evening)
    await broker.publish(published)
    due = "2026-12-15T23:59:59+01:00"
    await broker.publish(review_event(ReviewTaskQueued, tn, "building_permit", status="queued", version=6, due_at=due))

    async def followed():
        view = (await intake.client.get(permit["location"], headers={"X-Access-Token": permit["access_token"]})).json()
        return view if view["due_at"] else None

    view = await wait_until(followed, message="the deadline from review")
    assert datetime.fromisoformat(view["due_at"]) == datetime.fromisoformat(due)
    on = (await intake.client.get("/api/v1/opinions", params={"from": "2026-12-01", "to": "2026-12-01"})).json()
    before = (await intake.client.get("/api/v1/opinions", params={"to": "2026-11-30"})).json()
    assert [o["reference"] for o in on["items"]] == [tn] and before["total"] == 0
    assert (await intake.client.get("/api/v1/opinions", params={"from": "9999-12-31"})).status_code == 422
