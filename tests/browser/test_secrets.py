"""Access codes and resume tokens stay out of addresses and logs."""

from __future__ import annotations

import uuid

from tests.browser.portal import fill_form, send_filing
from tests.support import wait_until


async def test_no_access_code_or_resume_token_in_any_address_or_log(portal_system, new_page):
    page = await new_page()
    visited: list[str] = []
    page.on("request", lambda request: visited.append(request.url))
    await page.goto("/file/complaint")
    await fill_form(page, {"subject": "Bruit de chantier", "message": "Travaux bruyants la nuit, rue 7, depuis lundi.",
                           "applicant.full_name": "Nadia Idrissi", "applicant.email": f"n-{uuid.uuid4().hex[:6]}@example.ma"})
    tracking_number, access_code = await send_filing(page, "complaint")
    await page.click(f"a[href='/track/{tracking_number}']")
    await page.wait_for_url(f"**/track/{tracking_number}")
    # A real draft: its resume token goes through intake, the notifier's email and the portal.
    email = f"d-{uuid.uuid4().hex[:6]}@example.ma"
    draft = await portal_system.http.post(portal_system.url("intake", "/api/v1/drafts"), json={
        "kind": "complaint", "language": "fr", "email": email, "data": {"subject": "Bruit de chantier"}})
    assert draft.status_code == 201, draft.text
    draft_id, resume_token = draft.json()["id"], draft.json()["resume_token"]
    await wait_until(lambda: [m for m in portal_system.mailcatcher.messages() if email in str(m["To"])],
                     message="the resume link emailed")
    answer = await portal_system.http.get(portal_system.url("portal", f"/drafts/{draft_id}/resume?token={resume_token}"))
    assert (answer.status_code, answer.headers["location"]) == (303, "/file/complaint")  # the draft opened

    assert visited and not [url for url in visited if access_code in url]
    for name, service in portal_system.services.items():
        log = service.log_path.read_text()
        assert access_code not in log, f"the access code is in {name}'s log"
        assert resume_token not in log, f"the resume token is in {name}'s log"
    assert tracking_number in portal_system.services["intake"].log_path.read_text()  # the logs were read
