"""The work queue: the tasks the person's roles may read (review filters by the policy), with
filters, nearest deadline first, pages, a CSV of the filtered list, and assignment of one or
several tasks to a colleague (supervisors). Each task's deadline state and due date are
review's (its margin: LAMADI_DEADLINE_MARGIN_DAYS)."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import date
from typing import Any
from urllib.parse import parse_qsl
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from services.portal.adapters.review import ReviewRefused
from services.portal.api.staff.colleagues import colleagues, holding, names_of
from services.portal.api.staff.pages import staff_page
from services.portal.api.staff.session import StaffContext, allowed
from shared.vocabulary import VOCABULARY, Family

router = APIRouter(include_in_schema=False)
Reader = allowed("read")
Assigner = allowed("assign")
PAGE = 25
CSV_PAGE, CSV_MAX = 200, 5000
FILTERS = ("kind", "status", "assignee", "overdue", "due_before")
STATUSES = tuple(VOCABULARY.families[Family.STATUSES])  # every status code, in the vocabulary's order
ASSIGNMENT_MAX = 200  # tasks assigned by one post


async def filters_of(staff: StaffContext) -> tuple[dict[str, str], dict[str, Any]]:
    """The filters as shown (strings) and as review's (only valid values)."""
    q = staff.web.request.query_params
    shown = {name: (q.get(name) or "").strip() for name in FILTERS}
    wanted: dict[str, Any] = {"overdue": shown["overdue"] == "1"}
    if shown["kind"] in await staff.kinds():
        wanted["kind"] = shown["kind"]
    if shown["status"] in STATUSES:
        wanted["status"] = shown["status"]
    if shown["assignee"]:
        wanted["assignee"] = staff.identity.sub if shown["assignee"] == "me" else shown["assignee"][:200]
    try:
        wanted["due_before"] = date.fromisoformat(shown["due_before"]) if shown["due_before"] else None
    except ValueError:
        shown["invalid_date"] = "1"
    return shown, wanted


@router.get("/staff/tasks", response_class=HTMLResponse)
async def work_queue(staff: Reader, page: int = 1, done: int | None = None, failed: int | None = None):
    shown, wanted = await filters_of(staff)
    page = max(1, min(page, 10**6))
    found, people = await asyncio.gather(staff.review.tasks(**wanted, limit=PAGE, offset=(page - 1) * PAGE),
                                         colleagues(staff))
    return await staff_page(staff, "staff/queue.html", {
        "tasks": found.items, "total": found.total, "page": page, "pages": max(1, -(-found.total // PAGE)),
        "filters": shown, "query": {k: v for k, v in shown.items() if v and k in FILTERS},
        "kinds": await staff.kinds(), "statuses": STATUSES,
        "colleagues": holding(people, staff.deps.policy.assignable_roles()), "names": names_of(people),
        "may_assign": staff.may("assign"), "done": done, "failed": failed})


@router.get("/staff/tasks.csv")
async def work_queue_csv(staff: Reader):
    _, wanted = await filters_of(staff)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["tracking_number", "kind", "status", "assignee", "received_at", "due_at", "deadline_state"])
    offset = 0
    while offset < CSV_MAX:
        found = await staff.review.tasks(**wanted, limit=CSV_PAGE, offset=offset)
        for t in found.items:
            writer.writerow([t.tracking_number, t.kind, t.status, t.assignee or "",
                             t.received_at.isoformat() if t.received_at else "",
                             t.due_at.isoformat() if t.due_at else "", t.deadline_state])
        offset += CSV_PAGE
        if offset >= found.total:
            break
    return Response(out.getvalue().encode("utf-8-sig"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="lamadi-tasks.csv"'})


@router.post("/staff/tasks/assign")
async def assign_tasks(staff: Assigner):
    """The tasks ticked on the work queue, to one colleague; back to the same filtered list."""
    form = await staff.web.form()
    assignee = str(form.get("assignee") or "").strip()
    ids = [str(v) for v in form.getlist("task_id")][:ASSIGNMENT_MAX]
    done = failed = 0
    for task_id in ids if assignee else []:
        try:
            await staff.review.assign(UUID(task_id), assignee)
            done += 1
        except (ValueError, ReviewRefused):
            failed += 1
    if not assignee or not ids:
        failed = max(1, len(ids))
    kept = {k: v for k, v in parse_qsl(str(form.get("back") or "")) if k in FILTERS}
    return staff.redirect("work_queue", query={**kept, "done": done, "failed": failed})
