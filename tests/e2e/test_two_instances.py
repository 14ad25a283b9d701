"""Two instances of every service, the portal's included, against one database, vhost and mail
catcher, filings of every kind followed to their decision while one instance of each service is
SIGKILLed mid-run: nothing lost, no task, state change, email or report entry twice, the deadline
scan led by one instance at a time (its lease passes to the survivor when the holder dies), and
the last closed day's report built and sent once although both reporting instances close it at
start. On the portal, a filing started on one instance is confirmed on the other, a staff session
opened on one is good on the other, and the survivor serves both once one is killed."""

from __future__ import annotations

import asyncio
import collections
import re
from datetime import datetime
from uuid import uuid4
from zoneinfo import ZoneInfo

import asyncpg
import httpx
import pytest

from tests.browser.staff import add_staff
from tests.builders import STAFF_PASSWORD, staff_headers
from tests.e2e.journey import Journey
from tests.files import multipart
from tests.pages import csrf_token, text_of
from tests.support import Fleet, ServiceProcess, portal_env, service_env, wait_until

# Every service runs twice; each portal instance calls the instances of the same number.
SERVICES = ("intake", "review", "notifier", "reporting")
BEHIND_THE_PORTAL = ("review", "notifier", "reporting")
INSTANCES = 2
PER_KIND = 2
STAFF, DIRECTORATE = "supervision@agence.test", "direction.urbanisme@mhpv.gov.ma"
# A margin longer than any deadline: each deadline calls for its "approaching" alert at once.
# Small pools: eight processes share the test PostgreSQL's 100 connections with other suites.
ENV = {"LAMADI_DEADLINE_SCAN_INTERVAL": "0.3", "LAMADI_DEADLINE_MARGIN_DAYS": "400",
       "LAMADI_STAFF_ALERT_EMAIL": STAFF, "LAMADI_DIRECTORATE_EMAILS": DIRECTORATE,
       "LAMADI_DATABASE_POOL_MAX": "3", "LAMADI_PREFETCH": "2"}
# The notifier's two queues each hold two messages, and each message a second connection for
# its delivery ledger: one connection more than the messages in flight.
PER_SERVICE = {"notifier": {"LAMADI_DATABASE_POOL_MAX": "5"}}

# Per kind: the applicant's emails, and the events that change the filing's state (each once).
EXPECTED = {
    "information_note": (["decision", "receipt"], ["review.claimed", "review.decided"]),
    "complaint": (["decision", "receipt"], ["review.claimed", "review.decided"]),
    "pre_study": (["decision", "receipt"], ["review.claimed", "review.decided"]),
    "building_permit": (["decision", "receipt"], ["review.claimed", "review.referred_to_committee",
                                                  "committee.opinion_recorded", "committee.opinion_published",
                                                  "review.decided"]),
    "subdivision_permit": (["decision", "receipt"], ["review.claimed", "review.referred_to_committee",
                                                     "committee.opinion_recorded", "committee.opinion_published",
                                                     "review.decided"]),
    "supplier_invoice": (["decision", "invoice_step", "invoice_step", "receipt"], ["review.claimed", "review.decided"]),
}
ALWAYS = ["submission.received", "review.task_queued"]


@pytest.fixture
async def fleet(database, vhost, mailcatcher, tmp_path):
    env = service_env(database, vhost, LAMADI_SMTP_PORT=str(mailcatcher.port),
                      LAMADI_DOCUMENTS_DIR=str(tmp_path / "documents"),
                      LAMADI_REPORT_FILES_DIR=str(tmp_path / "report-files"), **ENV)
    running = await Fleet.start(SERVICES, env, tmp_path / "logs", mailcatcher, instances=INSTANCES,
                                per_service=PER_SERVICE)
    running.env = env
    try:
        # The portal's instances share the staging directory of filings between the form and its
        # confirmation, as they would a volume; everything else they keep is in the database.
        running.instances["portal"] = [ServiceProcess("portal", {**env, **portal_env(
            running.instances["intake"][n].url, tmp_path / "staging",
            **{f"LAMADI_{name.upper()}_URL": running.instances[name][n].url for name in BEHIND_THE_PORTAL})},
            tmp_path / "logs", instance=n) for n in range(INSTANCES)]
        await asyncio.gather(*(p.wait_ready(timeout=60) for p in running.instances["portal"]))
        yield running
    finally:
        await running.stop()


async def file_until_accepted(fleet: Fleet, j: Journey) -> None:
    """File with one Idempotency-Key, again after any failure (the instance may die under it)."""
    key = uuid4().hex

    async def attempt():
        try:
            answer = await fleet.http.post(fleet.url("intake", "/api/v1/submissions"),
                                           headers={"Idempotency-Key": key}, **multipart(j.payload))
        except httpx.HTTPError:
            return None
        return answer.json() if answer.status_code == 202 else None

    accepted = await wait_until(attempt, timeout=60, interval=0.3, message=f"{j.kind} filing accepted")
    j.tracking_number, j.token = accepted["tracking_number"], accepted["access_token"]


async def file_on_the_portal(fleet: Fleet, j: Journey, browser: httpx.AsyncClient) -> None:
    """A complaint filed in a browser: its form sent to one portal instance, "check your answers"
    confirmed on the other; its tracking number and access code read from the confirmation."""
    first, second = (p.url for p in fleet.instances["portal"])
    form = await browser.get(f"{first}/file/complaint")
    fields = {name: value for name, value in j.payload.items() if name not in ("kind", "applicant")}
    applicant = {f"applicant.{name}": value for name, value in j.payload["applicant"].items() if name != "language"}
    sent = await browser.post(f"{first}/file/complaint", data={"csrftoken": csrf_token(form.text), **fields,
                                                               **applicant})
    assert sent.status_code == 303, text_of(sent.text)[:500]
    confirmed = await browser.post(f"{second}/file/complaint/confirm", data={"csrftoken": csrf_token(form.text)})
    assert confirmed.status_code == 303, text_of(confirmed.text)[:500]
    page = await browser.get(f"{second}/confirmation")
    j.tracking_number = re.search(r'id="tracking-number"><bdi dir="ltr">([^<]+)<', page.text).group(1)
    j.token = re.search(r'id="access-code"><bdi dir="ltr">([^<]+)<', page.text).group(1)


async def staff_session_on_both_portals(fleet: Fleet, browser: httpx.AsyncClient, tracking_number: str) -> None:
    """A supervisor signs in on one portal instance; the session is good on the other, whose work
    queue lists the filing."""
    first, second = (p.url for p in fleet.instances["portal"])
    email = await add_staff(fleet, "supervisor")
    sign_in = await browser.get(f"{first}/staff/sign-in")
    signed = await browser.post(f"{first}/staff/sign-in", data={
        "csrftoken": csrf_token(sign_in.text), "email": email, "password": STAFF_PASSWORD})
    assert signed.status_code == 303, text_of(signed.text)[:500]
    queue = await browser.get(f"{second}/staff/tasks")
    assert queue.status_code == 200 and tracking_number in queue.text


async def decide(j: Journey) -> None:
    """The kind's path from queued to decided, through whichever instances answer."""
    role = "finance" if j.kind == "supplier_invoice" else "reviewer"
    staff = f"{role}-{j.tracking_number}"
    await j.wait_task("queued", role=role)
    await j.staff_post("claim", role, staff)
    if j.kind == "supplier_invoice":
        await j.staff_post("steps", role, staff, {"step": "verified"})
        await j.staff_post("steps", role, staff, {"step": "approved_for_payment"})
        await j.staff_post("decision", role, staff, {"outcome": "paid", "text": "Virement effectué."})
    elif j.kind in ("building_permit", "subdivision_permit"):
        await j.staff_post("refer", role, staff, {})
        await j.staff_post("opinions", "committee", "member-a", {"opinion": "favourable", "motive": "Conforme."},
                           status=201)
        await j.staff_post("publish", "supervisor", "supervisor-omar")
    else:
        decision = {"information_note": {"outcome": "note_issued", "text": "Note délivrée.",
                                         "note": {"zoning": "Zone R2", "allowed_height_m": 8.5,
                                                  "setbacks": "4 m sur rue", "servitudes": "Aucune"}},
                    "complaint": {"outcome": "answered", "text": "Réponse."},
                    "pre_study": {"outcome": "observations_issued", "text": "Observations.",
                                  "preliminary_observations": ["Réduire l'emprise."]}}[j.kind]
        await j.staff_post("decision", role, staff, decision)
    await j.wait_public_status("closed")


def review_holder(fleet: Fleet):
    """The live review instance that holds the deadline-scan lease, by its last lease event."""
    holders = [p for p in fleet.instances["review"]
               if p.alive and (events := p.logged("lease_acquired", "lease_lost")) and events[-1]["event"] == "lease_acquired"]
    return holders[0] if len(holders) == 1 else None


async def test_two_of_every_service_one_of_each_killed_mid_run(fleet):
    journeys = [Journey(fleet, kind, email=f"{kind}-{n}@example.ma") for kind in EXPECTED for n in range(PER_KIND)]
    browser = fleet.http  # one browser's cookies, whichever portal instance it reaches
    # A first filing, through the portal, alerted by the instance leading the deadline scan.
    on_the_portal = next(j for j in journeys if j.kind == "complaint")
    await file_on_the_portal(fleet, on_the_portal, browser)
    await wait_until(lambda: staff_alerts(fleet), timeout=30, message="a first deadline alert")
    await on_the_portal.wait_task("queued", role="admin")
    await staff_session_on_both_portals(fleet, browser, on_the_portal.tracking_number)

    # The others go out together; once a third are in, one instance of each service is killed,
    # the deadline scan's leader among them, with work in flight everywhere.
    filings = [asyncio.create_task(file_until_accepted(fleet, j)) for j in journeys if j is not on_the_portal]
    await wait_until(lambda: sum(f.done() for f in filings) >= len(filings) // 3, message="a third filed")
    holder = review_holder(fleet)
    assert holder is not None, "one review instance leads the deadline scan"
    # The same instance number of every service dies (a portal instance calls the instances of its
    # own number: there is no load balancer here), so the other portal still has all its services.
    killed = fleet.instances["review"].index(holder)
    victims = [fleet.instances[name][killed] for name in (*SERVICES, "portal")]
    for process in victims:
        process.kill()
    await asyncio.gather(*filings)
    # The surviving portal instance (and the services it calls) still serves the applicant and the staff.
    survivor_portal = fleet.instances["portal"][1 - killed].url
    followed = await browser.get(f"{survivor_portal}/track/{on_the_portal.tracking_number}")
    assert followed.status_code == 200 and on_the_portal.tracking_number in text_of(followed.text)
    assert (await browser.get(f"{survivor_portal}/staff/tasks")).status_code == 200

    # Every filing reaches review, and every deadline gets its one alert (the survivor took the lease).
    tasks = await asyncio.gather(*(j.wait_task("queued", role="admin") for j in journeys))
    deadlines = {j.tracking_number: len(task["deadlines"]) for j, task in zip(journeys, tasks)}
    await wait_until(lambda: len(staff_alerts(fleet)) >= sum(deadlines.values()), timeout=60,
                     message="one alert per deadline")
    survivor = review_holder(fleet)
    assert survivor is not None and survivor is not holder

    for process in victims:  # back, and taking part from now on
        process.restart()
    await asyncio.gather(*(process.wait_ready(timeout=60) for process in victims))
    await asyncio.gather(*(decide(j) for j in journeys))
    for j in journeys:
        await j.wait_emails(len(EXPECTED[j.kind][0]))
    await wait_until(lambda: reported(fleet, journeys), timeout=60, message="every kind in the daily report")

    # Exactly one task per filing.
    for j in journeys:
        found = (await fleet.http.get(fleet.url("review", "/api/v1/tasks"), headers=staff_headers("admin", sub="a"),
                                      params={"tracking_number": j.tracking_number})).json()["items"]
        assert len(found) == 1, j.tracking_number
    # Each email once: distinct Message-IDs as expected; a copy of one Message-ID is the SMTP
    # window (sent, killed before marking it sent), at most once per message, counted here.
    by_id = collections.Counter(m["Message-ID"] for m in fleet.mailcatcher.messages())
    assert max(by_id.values()) <= 2, by_id.most_common(3)
    for j in journeys:
        templates = sorted({m["Message-ID"]: m["X-Lamadi-Template"] for m in j.emails()}.values())
        assert templates == EXPECTED[j.kind][0], (j.tracking_number, templates)
    alerts = collections.Counter(tracking for tracking, _ in staff_alerts(fleet))
    assert alerts == collections.Counter(deadlines), "one alert per deadline, no more"
    # Each state change once: the report sees every event, one entry each.
    entries = await report_entries(fleet)
    for j in journeys:
        changes = [t for t in entries[j.tracking_number] if t in ALWAYS + EXPECTED[j.kind][1]]
        assert sorted(changes) == sorted(ALWAYS + EXPECTED[j.kind][1]), (j.tracking_number, changes)
        assert entries[j.tracking_number].count("review.deadline_approaching") == deadlines[j.tracking_number]
    # The last closed day's report, which both reporting instances set out to close at start:
    # built once, sent once, one email to the Directorate.
    reports = await daily_reports(fleet)
    assert reports and all(times_sent == 1 for times_sent in reports.values()), reports
    await wait_until(lambda: len(directorate_emails(fleet)) >= len(reports), message="the report emailed")
    assert len(directorate_emails(fleet)) == len(reports)
    # The scan was led by one instance at a time: each term ran on one instance, the dead
    # holder's terms all before the survivor's.
    terms = {p: [r["term"] for r in p.logged("deadline_scan_done")] for p in fleet.instances["review"]}
    all_terms = [t for ts in terms.values() for t in ts]
    assert len(all_terms) == len(set(all_terms))
    assert terms[holder] and terms[survivor] and max(terms[holder]) < min(terms[survivor])


def staff_alerts(fleet: Fleet) -> set[tuple[str, str]]:
    """(tracking number, Message-ID) of each distinct deadline alert received."""
    return {(m["Subject"].split("n° ")[1].split()[0], m["Message-ID"])
            for m in fleet.mailcatcher.messages() if m["To"] and STAFF in m["To"]}


async def reported(fleet: Fleet, journeys: list[Journey]) -> bool:
    today = datetime.now(ZoneInfo("Africa/Casablanca")).date().isoformat()
    answer = await fleet.http.get(fleet.url("reporting", "/api/v1/reports/daily"), params={"date": today},
                                  headers=staff_headers("supervisor", sub="s"))
    rows = {r["kind"]: r for r in answer.json()["kinds"]} if answer.status_code == 200 else {}
    return all(rows.get(kind, {}).get("received") == PER_KIND and rows[kind].get("decided") == PER_KIND
               for kind in EXPECTED)


def directorate_emails(fleet: Fleet) -> set[str]:
    return {m["Message-ID"] for m in fleet.mailcatcher.messages() if m["To"] and DIRECTORATE in m["To"]}


async def daily_reports(fleet: Fleet) -> dict:
    """Day → how many times its report was sent."""
    conn = await asyncpg.connect(fleet.env["LAMADI_DATABASE_URL"])
    try:
        return {row["day"]: row["times_sent"] for row in await conn.fetch("SELECT day, times_sent FROM reporting.daily_reports")}
    finally:
        await conn.close()


async def report_entries(fleet: Fleet) -> dict[str, list[str]]:
    conn = await asyncpg.connect(fleet.env["LAMADI_DATABASE_URL"])
    try:
        rows = await conn.fetch("SELECT tracking_number, type FROM reporting.report_entries")
    finally:
        await conn.close()
    found: dict[str, list[str]] = collections.defaultdict(list)
    for row in rows:
        found[row["tracking_number"]].append(row["type"].rsplit(".", 1)[0])  # without its version
    return found
