"""The portal's public journeys in this process, as a person takes them with a browser without
JavaScript (plain forms, cookies): file (form, check your answers, confirm, the receipt), follow
a filing by its tracking number and access code, answer observations with a document, withdraw,
contest an unfavourable committee decision, save a draft and resume it from the emailed link.

The portal, intake, review, notifier and reporting all run here on the real database, broker and
mail catcher; review's side is taken through review's own API, as its staff would. What is checked
is what the person sees: the words and numbers on the pages, the error summary, the PDF."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import date, timedelta

import httpx
from pypdf import PdfReader

from shared.vocabulary import Family, name
from tests.files import REQUIRED_DOCUMENTS, TINY_PNG, pdf
from tests.pages import csrf_token, error_summary, text_of
from tests.support import emails_about, wait_until

# The status words a person reads on the filing's page (in French). Named here once: the words
# are the vocabulary's, the codes intake's.
# The status as the page names it in French: the one vocabulary's words (shared/vocabulary.toml).
STATUS_WORDS = {code: name(Family.STATUSES, code, "fr")
                for code in ("received", "queued", "awaiting_applicant", "closed", "withdrawn")}
COMPLAINT = {"subtype": "complaint", "topic": "building_site", "subject": "Chantier sans autorisation affichée",
             "message": "Un chantier rue 12 ne montre aucun panneau d'autorisation depuis trois semaines.",
             "applicant.full_name": "Amina Berrada", "applicant.email": "amina@example.ma"}
PERMIT = {"project_size": "small", "architect_registration": "OA-4521", "project_title": "Maison individuelle R+1",
          "commune": "Khénifra", "land_title": "TF 12345/K", "built_area_m2": "180.5", "floors": "2",
          "applicant.full_name": "Youssef Alaoui", "applicant.email": "youssef@example.ma"}
RESUME_LINK = re.compile(r"https?://\S+?(/drafts/[^/\s]+/resume\?token=[\w-]+)")


async def in_french(browser: httpx.AsyncClient) -> httpx.AsyncClient:
    """The browser after a click on «Français» in the header (the choice is kept in a cookie)."""
    assert (await browser.get("/language/fr")).status_code == 303
    return browser


async def post_form(browser: httpx.AsyncClient, page_path: str, action: str, values: dict,
                    files: list | None = None) -> httpx.Response:
    """Open the page, fill its form (with its CSRF token) and send it, as a person does."""
    token = csrf_token((await browser.get(page_path)).text)
    return await browser.post(action, data={"csrftoken": token, **values}, files=files)


async def file_through_the_portal(browser: httpx.AsyncClient, kind: str, values: dict,
                                  files: list) -> tuple[str, str]:
    """Form, check your answers, confirm: the tracking number and access code the confirmation shows."""
    sent = await post_form(browser, f"/file/{kind}", f"/file/{kind}", {**values, "action": "continue"}, files)
    assert (sent.status_code, sent.headers.get("location")) == (303, f"/file/{kind}/check"), error_summary(sent.text)
    confirmed = await post_form(browser, f"/file/{kind}/check", f"/file/{kind}/confirm", {})
    assert (confirmed.status_code, confirmed.headers["location"]) == (303, "/confirmation")
    confirmation = await browser.get("/confirmation")
    tracking_number = re.search(r'id="tracking-number">\s*(?:<bdi[^>]*>)?([^<\s]+)', confirmation.text).group(1)
    access_code = re.search(r'id="access-code">\s*(?:<bdi[^>]*>)?([^<\s]+)', confirmation.text).group(1)
    return tracking_number, access_code


async def filing_page(browser: httpx.AsyncClient, tracking_number: str) -> str:
    page = await browser.get(f"/track/{tracking_number}")
    assert page.status_code == 200, page.text
    return page.text


def status_word(page: str) -> str:
    return text_of(re.search(r'<span[^>]*id="status"[^>]*>.*?</span>', page, re.S).group(0))


async def page_once(browser: httpx.AsyncClient, tracking_number: str, shows: str) -> str:
    """The filing's page once it shows ``shows`` (the services behind it work in the background)."""
    async def page():
        text = await filing_page(browser, tracking_number)
        return text if shows in text_of(text) else None

    return await wait_until(page, message=f"the page of {tracking_number} showing {shows!r}")


async def complaint_followed(portal) -> tuple[httpx.AsyncClient, str]:
    """A complaint filed through the portal by a browser that now follows it; its tracking number."""
    browser = await in_french(portal.browser())
    tracking_number, _ = await file_through_the_portal(browser, "complaint", COMPLAINT,
                                                       [("evidence", ("photo.png", TINY_PNG, "image/png"))])
    return browser, tracking_number


async def test_a_complaint_filed_checked_and_confirmed_gets_a_tracking_number_and_its_receipt(portal, mailcatcher):
    browser = await in_french(portal.browser())
    incomplete = await post_form(browser, "/file/complaint", "/file/complaint",
                                 {**COMPLAINT, "message": "", "action": "continue"})
    assert incomplete.status_code == 422
    assert 'href="#f-message"' in incomplete.text and error_summary(incomplete.text)

    sent = await post_form(browser, "/file/complaint", "/file/complaint", {**COMPLAINT, "action": "continue"},
                           [("evidence", ("photo.png", TINY_PNG, "image/png"))])
    assert sent.headers["location"] == "/file/complaint/check"
    check = text_of((await browser.get("/file/complaint/check")).text)
    assert "Vérifiez vos réponses" in check and COMPLAINT["subject"] in check and "photo.png" in check
    confirmed = await post_form(browser, "/file/complaint/check", "/file/complaint/confirm", {})
    assert confirmed.headers["location"] == "/confirmation"
    confirmation = text_of((await browser.get("/confirmation")).text)
    [tracking_number] = re.findall(r"AU-\d{4}-[0-9A-Z]{5}-[0-9A-Z]{5}", confirmation)

    async def issued():  # the notifier issues it a moment after the filing
        answer = await browser.get(f"/track/{tracking_number}/receipt")
        return answer if answer.status_code == 200 else None

    receipt = await wait_until(issued, message="the receipt issued")
    assert receipt.headers["content-type"] == "application/pdf"
    # The very file the receipt email carried: one document, issued once (the same sha256).
    mail = await wait_until(lambda: next(iter(emails_about(mailcatcher, tracking_number)), None), message="email")
    [attached] = [part.get_content() for part in mail.iter_attachments()]
    assert hashlib.sha256(receipt.content).hexdigest() == hashlib.sha256(attached).hexdigest()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(receipt.content)).pages)
    assert tracking_number in text and "Amina Berrada" in text
    assert status_word(await filing_page(browser, tracking_number)) in (STATUS_WORDS["received"],
                                                                        STATUS_WORDS["queued"])


async def test_a_filing_is_followed_with_its_tracking_number_and_access_code_only(portal):
    filer = await in_french(portal.browser())
    tracking_number, access_code = await file_through_the_portal(
        filer, "complaint", COMPLAINT, [("evidence", ("photo.png", TINY_PNG, "image/png"))])

    other = await in_french(portal.browser())  # another browser: no cookie of the filing
    assert (await other.get(f"/track/{tracking_number}")).headers["location"] == "/track"
    wrong = await post_form(other, "/track", "/track", {"tracking_number": tracking_number, "access_code": "x" * 20})
    assert wrong.status_code == 422
    assert "Aucun dossier ne correspond à ce numéro de suivi et à ce code d'accès" in error_summary(wrong.text)
    opened = await post_form(other, "/track", "/track", {"tracking_number": tracking_number.lower(),
                                                          "access_code": access_code})
    assert (opened.status_code, opened.headers["location"]) == (303, f"/track/{tracking_number}")
    page = await page_once(other, tracking_number, "photo.png")
    assert tracking_number in text_of(page)


async def test_observations_are_answered_with_a_document_and_go_back_to_the_reviewer(portal):
    browser, tracking_number = await complaint_followed(portal)
    review, amina = portal.review, portal.review.auth("reviewer", sub="amina")
    task = await review.wait_task(tracking_number)
    assert (await review.client.post(f"/api/v1/tasks/{task['id']}/claim", headers=amina)).status_code == 200
    asked = "Merci de joindre une photo du panneau manquant."
    observed = await review.client.post(f"/api/v1/tasks/{task['id']}/observations", headers=amina,
                                        json={"observations": asked})
    assert observed.status_code == 200, observed.text

    page = await page_once(browser, tracking_number, STATUS_WORDS["awaiting_applicant"])
    assert asked in text_of(page)
    silent = await post_form(browser, f"/track/{tracking_number}", f"/track/{tracking_number}/respond",
                             {"message": ""})
    assert silent.status_code == 422 and 'href="#r-message"' in silent.text
    answered = await post_form(browser, f"/track/{tracking_number}", f"/track/{tracking_number}/respond",
                               {"message": "Voici la photo demandée."},
                               [("documents", ("panneau.pdf", pdf("panneau"), "application/pdf"))])
    assert answered.headers["location"] == f"/track/{tracking_number}?done=answer"
    confirmed = text_of((await browser.get(answered.headers["location"])).text)
    assert "Votre réponse a été envoyée. Le dossier retourne à l'instructeur." in confirmed
    page = await page_once(browser, tracking_number, STATUS_WORDS["queued"])
    assert "panneau.pdf" in text_of(page)
    requeued = await review.wait_task(tracking_number, status="queued")
    assert "panneau.pdf" in [d["name"] for d in requeued["documents"]]  # what the reviewer gets back


async def test_a_filing_is_withdrawn_from_its_page_and_offers_nothing_more(portal):
    browser, tracking_number = await complaint_followed(portal)
    page = await filing_page(browser, tracking_number)
    assert f'href="/track/{tracking_number}/withdraw"' in page
    withdrawn = await post_form(browser, f"/track/{tracking_number}/withdraw", f"/track/{tracking_number}/withdraw",
                                {"reason": "Le panneau a été posé."})
    assert withdrawn.headers["location"] == f"/track/{tracking_number}?done=withdrawal"
    assert "Votre dossier a été retiré." in text_of((await browser.get(withdrawn.headers["location"])).text)
    page = await filing_page(browser, tracking_number)
    assert status_word(page) == STATUS_WORDS["withdrawn"]
    assert f'href="/track/{tracking_number}/withdraw"' not in page
    await review_sees(portal, tracking_number, "withdrawn")


async def review_sees(portal, tracking_number: str, status: str) -> dict:
    return await portal.review.wait_task(tracking_number, status=status)


async def test_an_unfavourable_committee_decision_is_contested_from_the_filing_page(portal):
    browser = await in_french(portal.browser())
    documents = [(code, (f"{code}.pdf", pdf(code), "application/pdf")) for code in REQUIRED_DOCUMENTS["building_permit"]]
    tracking_number, _ = await file_through_the_portal(browser, "building_permit", PERMIT, documents)
    await reject_in_committee(portal.review, tracking_number)

    page = await page_once(browser, tracking_number, STATUS_WORDS["closed"])
    assert "Contester la décision" in text_of(page) and "Défavorable" in text_of(page)
    too_short = await post_form(browser, f"/track/{tracking_number}", f"/track/{tracking_number}/contest",
                                {"motive": "Ok"})
    assert too_short.status_code == 422 and error_summary(too_short.text)
    contested = await post_form(browser, f"/track/{tracking_number}", f"/track/{tracking_number}/contest",
                                {"motive": "La hauteur respecte l'article 12 du règlement."})
    assert contested.headers["location"] == f"/track/{tracking_number}?done=contest"
    page = text_of((await browser.get(contested.headers["location"])).text)
    assert "Votre recours a été reçu : le dossier est réexaminé." in page
    assert "Contester la décision" not in page
    reopened = await review_sees(portal, tracking_number, "queued")
    assert reopened["decision"] is None


async def reject_in_committee(review, tracking_number: str) -> None:
    """Review's side, through its API: referred to a session, one unfavourable opinion, published."""
    task = await review.wait_task(tracking_number)
    url, reviewer = f"/api/v1/tasks/{task['id']}", review.auth("reviewer", sub="reviewer-fatima")
    supervisor = review.auth("supervisor", sub="supervisor-omar")
    session = await review.client.post("/api/v1/committee/sessions", headers=supervisor,
                                       json={"session_date": (date.today() + timedelta(days=7)).isoformat()})
    for path, headers, body in ((f"{url}/claim", reviewer, None),
                                (f"{url}/refer", reviewer, {"session_id": session.json()["id"]}),
                                (f"{url}/opinions", review.auth("committee", sub="member-a"),
                                 {"opinion": "unfavourable", "motive": "Hauteur supérieure au plan d'aménagement."}),
                                (f"{url}/publish", supervisor, None)):
        answer = await review.client.post(path, headers=headers, json=body)
        assert answer.status_code in (200, 201), answer.text


async def test_a_draft_is_saved_and_resumed_from_the_emailed_link_in_another_browser(portal, mailcatcher):
    first = await in_french(portal.browser())
    email = "said@example.ma"
    saved = await post_form(first, "/file/complaint", "/file/complaint",
                            {"subject": "Éclairage public", "applicant.full_name": "Saïd", "applicant.email": email,
                             "action": "save"}, [("evidence", ("lampe.png", TINY_PNG, "image/png"))])
    assert saved.status_code == 200 and email in text_of(saved.text)
    nameless = await post_form(first, "/file/complaint", "/file/complaint",
                               {"subject": "Éclairage public", "applicant.email": "", "action": "save"})
    assert nameless.status_code == 422 and 'href="#f-applicant-email"' in nameless.text

    def resume_link() -> str | None:
        for mail in mailcatcher.messages():
            if mail["To"] and email in str(mail["To"]):
                found = RESUME_LINK.search(mail.get_body(("plain",)).get_content())
                if found:
                    return found.group(1)
        return None

    link = await wait_until(resume_link, message="the email with the resume link")
    other = portal.browser()  # another browser, as from the email on a phone
    resumed = await other.get(link)
    assert (resumed.status_code, resumed.headers["location"]) == (303, "/file/complaint")
    form = await other.get("/file/complaint")
    assert 'value="Éclairage public"' in form.text and "lampe.png" in text_of(form.text)
    assert "token" not in str(resumed.headers["location"])  # the resume token leaves the address at once
    tracking_number, _ = await file_through_the_portal(
        other, "complaint", {**COMPLAINT, "subject": "Éclairage public", "applicant.full_name": "Saïd",
                             "applicant.email": email}, [])
    page = await page_once(other, tracking_number, "lampe.png")  # the document saved with the draft
    assert tracking_number in text_of(page)
