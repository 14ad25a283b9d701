"""After the campaign: wait until the system is quiescent, then check what it holds against
what the client recorded."""

from __future__ import annotations

import asyncio
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import default as default_policy
from email.utils import parseaddr
from pathlib import Path

from bench.soak.driver import Filing
from bench.soak.servers import OwnPostgres, OwnRabbitMQ

SCHEMAS = ("intake", "review", "notifier", "reporting")


@dataclass
class Progress:
    queued: int  # messages in work and retry queues, unacknowledged included
    parked: int
    unpublished: int  # outbox rows not yet published, every service
    unsent: int  # deliveries not marked sent
    emails: int  # files in the maildir

    def idle(self, expected_emails: int) -> bool:
        return not (self.queued or self.unpublished or self.unsent) and self.emails >= expected_emails


async def progress(postgres: OwnPostgres, database: str, rabbit: OwnRabbitMQ, vhost: str, maildir: Path) -> Progress:
    queues = await rabbit.queues(vhost)
    parked = sum(q.get("messages", 0) for q in queues if q["name"].endswith(".parked"))
    queued = sum(q.get("messages", 0) for q in queues if not q["name"].endswith(".parked"))
    union = " UNION ALL ".join(f"SELECT count(*) AS n FROM {s}.outbox WHERE published_at IS NULL" for s in SCHEMAS)
    unpublished = (await postgres.sql(f"SELECT sum(n) AS n FROM ({union}) o", database=database))[0]["n"]
    unsent = (await postgres.sql("SELECT count(*) AS n FROM notifier.deliveries WHERE status <> 'sent'",
                                 database=database))[0]["n"]
    return Progress(queued, parked, int(unpublished or 0), unsent, len(list((maildir / "new").iterdir())))


async def wait_quiescent(postgres: OwnPostgres, database: str, rabbit: OwnRabbitMQ, vhost: str, maildir: Path,
                         expected_emails: int, *, stall: float, timeout: float) -> tuple[Progress, bool]:
    """Until idle three polls in a row (the broker's figures lag a little), or nothing moved for
    ``stall`` seconds, or ``timeout``. Returns the last figures and whether it was quiescent."""
    started = last_change = time.monotonic()
    previous, idle_polls = None, 0
    while time.monotonic() - started < timeout:
        try:
            now = await progress(postgres, database, rabbit, vhost, maildir)
        except Exception as exc:  # a server restarting under us: look again
            print(f"  (waiting: {type(exc).__name__})", flush=True)
            await asyncio.sleep(5)
            continue
        if now != previous:
            last_change, previous = time.monotonic(), now
            print(f"  queued {now.queued}, outbox {now.unpublished}, unsent {now.unsent}, "
                  f"emails {now.emails}/{expected_emails}, parked {now.parked}", flush=True)
        idle_polls = idle_polls + 1 if now.idle(expected_emails) else 0
        if idle_polls >= 3:
            return now, True
        if time.monotonic() - last_change > stall:
            return now, False
        await asyncio.sleep(2)
    return previous, False


@dataclass
class Results:
    filings: int
    decided: int
    lost: Counter = field(default_factory=Counter)  # where a recorded filing is missing
    unrecorded_filings: int = 0  # filings the system holds that the client never got a 202 for
    state_changes_duplicated: int = 0
    state_changes_missing: int = 0
    emails_expected: int = 0
    emails_missing: int = 0
    emails_unexpected: int = 0
    emails_duplicated: int = 0  # copies of a Message-ID already received
    staff_alerts: int = 0
    parked: int = 0

    @property
    def passed(self) -> bool:
        return not (sum(self.lost.values()) or self.unrecorded_filings or self.state_changes_duplicated
                    or self.state_changes_missing or self.emails_missing or self.emails_unexpected or self.parked)


async def verify(filings: list[Filing], postgres: OwnPostgres, database: str, parked: int, maildir: Path) -> Results:
    results = Results(len(filings), sum(f.decided for f in filings), parked=parked)
    numbers = [f.tracking_number for f in filings]

    async def present(query: str) -> set[str]:
        return {r[0] for r in await postgres.sql(query, numbers, database=database)}

    in_intake = await present("SELECT tracking_number FROM intake.submissions WHERE tracking_number = ANY($1)")
    in_review = await present("SELECT tracking_number FROM review.tasks WHERE tracking_number = ANY($1)")
    results.unrecorded_filings = (await postgres.sql(
        "SELECT count(*) FROM intake.submissions WHERE NOT tracking_number = ANY($1)", numbers, database=database))[0][0]
    entries: dict[str, Counter] = defaultdict(Counter)
    for row in await postgres.sql("SELECT tracking_number, type FROM reporting.report_entries", database=database):
        entries[row["tracking_number"]][row["type"].rsplit(".", 1)[0]] += 1  # the type without its version
    state_types = {t for f in filings for t in f.state_changes} | {"review.referred_to_committee", "review.step_recorded"}
    for item in filings:
        results.lost["intake"] += item.tracking_number not in in_intake
        results.lost["review"] += item.tracking_number not in in_review
        results.lost["reporting"] += entries[item.tracking_number]["submission.received"] == 0
        for kind in state_types:
            seen, expected = entries[item.tracking_number][kind], item.state_changes.get(kind, 0)
            results.state_changes_duplicated += max(0, seen - expected)
            results.state_changes_missing += max(0, expected - seen)
    _check_emails(results, filings, maildir)
    return results


def _check_emails(results: Results, filings: list[Filing], maildir: Path) -> None:
    copies: Counter = Counter()
    templates: dict[str, dict[str, str]] = defaultdict(dict)  # recipient → Message-ID → template
    parser = BytesParser(policy=default_policy)
    for path in (maildir / "new").iterdir():
        with path.open("rb") as file:
            headers = parser.parse(file, headersonly=True)
        message_id, recipient = headers["Message-ID"], parseaddr(str(headers["To"]))[1]
        copies[message_id] += 1
        templates[recipient][message_id] = headers["X-Lamadi-Template"]
    results.emails_duplicated = sum(n - 1 for n in copies.values())
    recorded = {f.email for f in filings}
    results.staff_alerts = sum(len(ids) for to, ids in templates.items() if to not in recorded)
    for item in filings:
        expected, received = Counter(item.expected_emails), Counter(templates[item.email].values())
        results.emails_expected += sum(expected.values())
        results.emails_missing += sum((expected - received).values())
        results.emails_unexpected += sum((received - expected).values())
