"""The staff pages' sign-in against the real PostgreSQL: the directory (argon2 passwords),
server-side sessions in signed, HttpOnly, Secure, SameSite=Strict cookies, sign-out, lockout
after repeated failures, disabled accounts, CSRF, and the audit of each. The staff APIs run in
this process (review, notifier, reporting), called by the portal over HTTP transports."""

from __future__ import annotations

import re

from services.portal import handlers
from services.portal.domain import commands
from shared.unit_of_work import run
from tests.builders import STAFF_PASSWORD
from tests.pages import csrf_token


async def test_sign_in_opens_a_server_side_session_in_a_strict_cookie_and_sign_out_ends_it(portal):
    email = await portal.add("reviewer", name="Fatima Reviewer")
    page = await portal.client.get("/staff/tasks")
    assert page.status_code == 303 and page.headers["location"] == "/staff/sign-in?next=%2Fstaff%2Ftasks"

    signed = await portal.sign_in(email.upper())  # the email is the sign-in name, whatever its case
    assert signed.status_code == 303 and signed.headers["location"] == "/staff/tasks"
    cookie = next(v for k, v in signed.headers.multi_items() if k == "set-cookie" and v.startswith("lamadi_staff="))
    flags = cookie.lower()
    assert "httponly" in flags and "secure" in flags and "samesite=strict" in flags
    session_cookie = portal.client.cookies["lamadi_staff"]
    queue = await portal.client.get("/staff/tasks")
    assert queue.status_code == 200 and "Fatima Reviewer" in queue.text

    out = await portal.client.post("/staff/sign-out", data={"csrftoken": csrf_token(queue.text)})
    assert out.status_code == 303
    assert (await portal.client.get("/staff/tasks")).status_code == 303
    # The old cookie, replayed after sign-out, opens nothing: the session ended on the server.
    replay = portal.browser()
    replay.cookies.set("lamadi_staff", session_cookie, domain="portal.test")
    assert (await replay.get("/staff/tasks")).status_code == 303
    assert await portal.audit(email) == ["staff_added", "sign_in", "sign_out"]


async def test_repeated_failures_lock_the_account_and_a_locked_account_cannot_sign_in(portal, capfd):
    email = await portal.add("reviewer")
    for _ in range(2):
        wrong = await portal.sign_in(email, "not the password at all")
        assert wrong.status_code == 403 and "lamadi_staff" not in portal.client.cookies
    locking = await portal.sign_in(email, "not the password at all")
    assert locking.status_code == 403 and "10" in locking.text  # locked for 10 minutes
    refused = await portal.sign_in(email, STAFF_PASSWORD)  # the right password, too late
    assert refused.status_code == 403 and "lamadi_staff" not in portal.client.cookies
    assert (await portal.client.get("/staff/tasks")).status_code == 303
    assert await portal.audit(email) == ["staff_added", "sign_in_failed", "sign_in_failed", "sign_in_failed",
                                         "locked_out", "sign_in_refused_locked"]

    await run(handlers.unlock_staff, commands.UnlockStaff(email, "test"), portal.deps, correlation_id="t")
    assert (await portal.sign_in(email)).status_code == 303
    logs = capfd.readouterr()
    assert STAFF_PASSWORD not in logs.out + logs.err and "not the password" not in logs.out + logs.err
    assert email not in logs.out + logs.err


async def test_an_unknown_or_disabled_account_gets_the_same_answer_and_disabling_ends_sessions(portal):
    browser, email = await portal.signed_in("reviewer")
    unknown = await portal.sign_in("nobody@agence.ma")
    assert unknown.status_code == 403
    await run(handlers.disable_staff, commands.DisableStaff(email, "test"), portal.deps, correlation_id="t")
    assert (await browser.get("/staff/tasks")).status_code == 303  # the open session ended
    disabled = await portal.sign_in(email)
    assert disabled.status_code == 403
    assert _summary(disabled.text) == _summary(unknown.text)  # nothing tells which
    await browser.aclose()


def _summary(html: str) -> str:
    return re.search(r'<div class="error-summary.*?</div>', html, re.S).group(0)


async def test_a_request_without_a_valid_csrf_token_changes_nothing(portal, broker):
    email = await portal.add("reviewer")
    await portal.client.get("/staff/sign-in")
    forged = await portal.client.post("/staff/sign-in", data={"csrftoken": "forged", "email": email,
                                                              "password": STAFF_PASSWORD})
    assert forged.status_code == 403 and "lamadi_staff" not in portal.client.cookies
    assert await portal.audit(email) == ["staff_added"]  # not even tried

    browser, _ = await portal.signed_in("reviewer")
    task = await portal.review.queued_task(broker)
    claim = await browser.post(f"/staff/tasks/{task['id']}/claim", data={})
    assert claim.status_code == 403
    other_token = await portal.csrf_token(portal.browser())  # a token of another browser
    claim = await browser.post(f"/staff/tasks/{task['id']}/claim", data={"csrftoken": other_token})
    assert claim.status_code == 403
    after = await portal.review.task_of(task["tracking_number"])
    assert (after["status"], after["version"], after["assignee"]) == ("queued", 1, None)
    out = await browser.post("/staff/sign-out", data={})
    assert out.status_code == 403 and (await browser.get("/staff/tasks")).status_code == 200
    await browser.aclose()


async def test_the_directory_keeps_argon2_hashes_only(portal):
    email = await portal.add("finance")
    stored = await portal.pool.fetchval("SELECT password_hash FROM staff_members WHERE email = $1", email)
    assert stored.startswith("$argon2id$") and STAFF_PASSWORD not in stored
