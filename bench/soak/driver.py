"""The soak's client: files filings of every kind and drives a share of them to a decision
through the staff API, recording what it did. Every request is retried until it is known to
have taken effect: a filing with one Idempotency-Key, a staff action after checking the task
first (an earlier attempt may have succeeded with its answer lost to a kill)."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from uuid import uuid4

import httpx

from tests.files import filing, multipart

KINDS = ("information_note", "complaint", "pre_study", "building_permit", "subdivision_permit", "supplier_invoice")
# The applicant's emails once decided (a receipt otherwise), and the state-changing events.
DECIDED_EMAILS = {kind: ["decision", "receipt"] for kind in KINDS} | {
    "supplier_invoice": ["decision", "invoice_step", "invoice_step", "receipt"]}
COMMITTEE_KINDS = ("building_permit", "subdivision_permit")
DECISIONS = {
    "information_note": {"outcome": "note_issued", "text": "Note délivrée.",
                         "note": {"zoning": "Zone R2", "allowed_height_m": 8.5, "setbacks": "4 m sur rue",
                                  "servitudes": "Aucune"}},
    "complaint": {"outcome": "answered", "text": "Réponse apportée."},
    "pre_study": {"outcome": "observations_issued", "text": "Observations préliminaires.",
                  "preliminary_observations": ["Réduire l'emprise au sol."]},
    "supplier_invoice": {"outcome": "paid", "text": "Virement effectué."},
}
DONE = ("decided", "closed")


@dataclass
class Filing:
    number: int
    kind: str
    decide: bool
    tracking_number: str | None = None
    decided: bool = False

    @property
    def email(self) -> str:
        return f"soak-{self.number}@example.ma"

    @property
    def expected_emails(self) -> list[str]:
        return DECIDED_EMAILS[self.kind] if self.decided else ["receipt"]

    @property
    def state_changes(self) -> dict[str, int]:
        """Event type → how many times it must appear for this filing."""
        changes = {"submission.received": 1, "review.task_queued": 1}
        if self.decided:
            changes |= {"review.claimed": 1, "review.decided": 1}
            if self.kind in COMMITTEE_KINDS:
                changes |= {"review.referred_to_committee": 1, "committee.opinion_recorded": 1,
                            "committee.opinion_published": 1}
            if self.kind == "supplier_invoice":
                changes["review.step_recorded"] = 2
        return changes


@dataclass
class Driver:
    """``url(service, path)`` gives a live instance's URL; ``staff(role, sub)`` its headers."""

    url: Callable[[str, str], str]
    staff: Callable[[str, str], dict[str, str]]
    http: httpx.AsyncClient
    filings: list[Filing] = field(default_factory=list)
    retries: int = 0

    async def run(self, count: int, *, decide_every: int, concurrency: int) -> None:
        self.filings = [Filing(n, KINDS[n % len(KINDS)], decide=n % decide_every == 0) for n in range(count)]
        numbers = itertools.count()

        async def worker() -> None:
            while (n := next(numbers)) < count:
                item = self.filings[n]
                await self.file(item)
                if item.decide:
                    await self.decide(item)

        await asyncio.gather(*(worker() for _ in range(concurrency)))

    async def _until(self, attempt: Callable[[], Awaitable[object]]) -> object:
        """Call ``attempt`` until it returns something; errors and None mean: again, shortly."""
        while True:
            try:
                result = await attempt()
            except (httpx.HTTPError, KeyError, ValueError):
                result = None
            if result is not None:
                return result
            self.retries += 1
            await asyncio.sleep(0.5)

    async def file(self, item: Filing) -> None:
        key, body = uuid4().hex, multipart(filing(item.kind, applicant={"email": item.email}))

        async def attempt():
            answer = await self.http.post(self.url("intake", "/api/v1/submissions"), headers={"Idempotency-Key": key},
                                          **body)
            return answer.json()["tracking_number"] if answer.status_code == 202 else None

        item.tracking_number = await self._until(attempt)

    async def task(self, item: Filing) -> dict | None:
        answer = await self.http.get(self.url("review", "/api/v1/tasks"), headers=self.staff("admin", "soak"),
                                     params={"tracking_number": item.tracking_number})
        items = answer.json()["items"] if answer.status_code == 200 else []
        return items[0] if items else None

    async def step(self, item: Filing, task_id: str, done: Callable[[dict], bool], action: str, role: str, sub: str,
                   body: dict | None = None) -> None:
        """One staff action, until the task shows it done (checked before every attempt)."""
        async def attempt():
            current = await self.http.get(self.url("review", f"/api/v1/tasks/{task_id}"),
                                          headers=self.staff("admin", "soak"))
            if current.status_code != 200:
                return None
            if done(current.json()):
                return True
            answer = await self.http.post(self.url("review", f"/api/v1/tasks/{task_id}/{action}"),
                                          headers=self.staff(role, sub), json=body)
            return True if answer.status_code in (200, 201) else None

        await self._until(attempt)

    async def decide(self, item: Filing) -> None:
        task = await self._until(lambda: self.task(item))
        role = "finance" if item.kind == "supplier_invoice" else "reviewer"
        me, task_id = f"{role}-soak-{item.number}", task["id"]
        await self.step(item, task_id, lambda t: t["assignee"] == me and t["status"] != "queued", "claim", role, me)
        if item.kind in COMMITTEE_KINDS:
            await self.step(item, task_id, lambda t: t["status"] != "in_review", "refer", role, me, {})
            await self.step(item, task_id, lambda t: t["status"] in DONE or self._opinion_recorded(t), "opinions",
                            "committee", "member-soak", {"opinion": "favourable", "motive": "Conforme."})
            await self.step(item, task_id, lambda t: t["status"] in DONE, "publish", "supervisor", "supervisor-soak")
        else:
            if item.kind == "supplier_invoice":
                for step in ("verified", "approved_for_payment"):
                    await self.step(item, task_id, lambda t, s=step: any(x["step"] == s for x in t["steps"]),
                                    "steps", role, me, {"step": step})
            await self.step(item, task_id, lambda t: t["status"] in DONE, "decision", role, me, DECISIONS[item.kind])
        item.decided = True

    @staticmethod
    def _opinion_recorded(task: dict) -> bool:
        # One member, one opinion per round: the task's history shows it once recorded.
        return any(h.get("action") == "record_opinion" for h in task.get("history", []))
