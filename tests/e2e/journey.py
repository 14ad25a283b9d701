"""Drives one filing through the running system as its applicant and the agency's staff do."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.builders import staff_headers
from tests.files import filing, multipart
from tests.support import wait_until


class Journey:
    def __init__(self, system, kind: str, *, email: str, language: str = "fr", **fields):
        self.system, self.kind, self.email = system, kind, email
        self.payload = filing(kind, applicant={"email": email, "language": language}, **fields)
        self.tracking_number = self.token = self.task_id = None

    # -- applicant

    async def file(self, *, as_json: bool = False) -> dict:
        body = {"json": self.payload} if as_json else multipart(self.payload)
        answer = await self.system.http.post(self.system.url("intake", "/api/v1/submissions"), **body)
        assert answer.status_code == 202, answer.text
        self.tracking_number, self.token = answer.json()["tracking_number"], answer.json()["access_token"]
        return answer.json()

    @property
    def public_url(self) -> str:
        return self.system.url("intake", f"/api/v1/submissions/{self.tracking_number}")

    async def public_view(self) -> dict:
        answer = await self.system.http.get(self.public_url, headers={"X-Access-Token": self.token})
        assert answer.status_code == 200, answer.text
        return answer.json()

    async def issued_receipt(self) -> bytes:
        """The receipt as intake serves it, once the notifier issued it (409 until then)."""
        async def issued():
            answer = await self.system.http.get(f"{self.public_url}/receipt", headers={"X-Access-Token": self.token})
            return answer.content if answer.status_code == 200 else None

        return await wait_until(issued, timeout=30, message=f"the receipt of {self.tracking_number} issued")

    async def wait_public_status(self, status: str) -> dict:
        async def reached():
            view = await self.public_view()
            return view if view["status"] == status else None

        return await wait_until(reached, timeout=30, message=f"{self.tracking_number} publicly {status}")

    async def applicant_post(self, path: str, body: dict) -> dict:
        answer = await self.system.http.post(f"{self.public_url}/{path}", json=body,
                                             headers={"X-Access-Token": self.token})
        assert answer.status_code == 200, answer.text
        return answer.json()

    # -- emails

    def emails(self) -> list:
        return [m for m in self.system.mailcatcher.messages() if m["To"] and self.email in m["To"]]

    def templates(self) -> list[str]:
        return sorted(m["X-Lamadi-Template"] for m in self.emails())

    async def wait_emails(self, count: int) -> list:
        await wait_until(lambda: len(self.emails()) >= count, timeout=30, message=f"{count} emails to {self.email}")
        return self.emails()

    def one_email(self, template: str):
        matching = [m for m in self.emails() if m["X-Lamadi-Template"] == template]
        assert len(matching) == 1, f"{len(matching)} {template} emails"
        return matching[0]

    # -- staff

    async def wait_task(self, status: str, role: str = "reviewer") -> dict:
        async def task():
            answer = await self.system.http.get(self.system.url("review", "/api/v1/tasks"),
                                                headers=staff_headers(role, sub="reader"),
                                                params={"tracking_number": self.tracking_number})
            items = [t for t in answer.json()["items"] if t["status"] == status] if answer.status_code == 200 else []
            return items[0] if items else None

        found = await wait_until(task, timeout=30, message=f"task {self.tracking_number} {status}")
        self.task_id = found["id"]
        return found

    async def staff_post(self, path: str, role: str, sub: str, body: dict | None = None, status: int = 200) -> dict:
        answer = await self.system.http.post(self.system.url("review", f"/api/v1/tasks/{self.task_id}/{path}"),
                                             headers=staff_headers(role, sub=sub), json=body)
        assert answer.status_code == status, answer.text
        return answer.json()

    # -- reporting

    async def wait_report(self, **expected: int) -> dict:
        today = datetime.now(ZoneInfo("Africa/Casablanca")).date().isoformat()

        async def row():
            answer = await self.system.http.get(self.system.url("reporting", "/api/v1/reports/daily"),
                                                headers=staff_headers("supervisor", sub="s"), params={"date": today})
            found = {r["kind"]: r for r in answer.json()["kinds"]}.get(self.kind)
            return found if found and all(found.get(k) == v for k, v in expected.items()) else None

        return await wait_until(row, timeout=30, message=f"daily report for {self.kind}: {expected}")
