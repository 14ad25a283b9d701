"""The work queue: the tasks the person's roles may read (review filters by the policy), with
filters, nearest deadline first, pages, a CSV of the filtered list, and assignment of one or
several tasks to a colleague (supervisors)."""

from __future__ import annotations

import csv
import io
from datetime import date
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from services.portal import handlers
from services.portal.adapters.staff_api import StaffApiRefused
from services.portal.api.staff.pages import deadline_state, nearest_due, staff_page
from services.portal.api.staff.session import StaffContext, allowed
from services.portal.api.web import see_other
from services.portal.domain import commands
from shared.lifecycle import Status
from shared.unit_of_work import run

router = APIRouter(include_in_schema=False)
Reader = allowed("read")
Assigner = allowed("assign")
PAGE = 25
CSV_MAX = 5000
FILTERS = ("kind", "status", "assignee", "overdue", "due_before")
ASSIGNABLE_ROLES = {"reviewer", "supervisor", "finance", "committee"}


def filters_of(staff: StaffContext) -> tuple[dict[str, str], dict[str, object]]:
    """The filters as shown (strings) and as review's query parameters (only valid values)."""
    q = staff.web.request.query_params
    shown = {name: (q.get(name) or "").strip() for name in FILTERS}
    params: dict[str, object] = {"sort": "due_at"}
    if shown["kind"] in staff.kinds():
        params["kind"] = shown["kind"]
    if shown["status"] in {s.value for s in Status}:
        params["status"] = shown["status"]
    if shown["assignee"]:
        params["assignee"] = staff.identity.sub if shown["assignee"] == "me" else shown["assignee"][:200]
    if shown["overdue"] == "1":
        params["overdue"] = "true"
    try:
        params["due_before"] = date.fromisoformat(shown["due_before"]).isoformat() if shown["due_before"] else None
    except ValueError:
        shown["invalid_date"] = "1"
    return shown, {k: v for k, v in params.items() if v is not None}


async def colleagues(staff: StaffContext) -> list[tuple[str, str]]:
    """(sub, name) of the enabled staff who handle tasks, for the assignment list."""
    accounts, _ = await run(handlers.list_staff, commands.ListStaff(audit_limit=0), staff.deps)
    return [(a.email, a.full_name) for a in accounts if not a.disabled and ASSIGNABLE_ROLES & set(a.roles)]


@router.get("/staff/tasks", response_class=HTMLResponse)
async def work_queue(staff: Reader, page: int = 1, done: int | None = None,
                     failed: int | None = None):
    shown, params = filters_of(staff)
    page = max(1, min(page, 10**6))
    found = await staff.call("review", "GET", "/api/v1/tasks", params={**params, "limit": PAGE,
                                                                        "offset": (page - 1) * PAGE})
    tasks = [{**t, "state": deadline_state(t), "due": nearest_due(t)} for t in found["items"]]
    query = urlencode({k: v for k, v in shown.items() if v and k != "invalid_date"})
    names = dict(await colleagues(staff))
    return staff_page(staff, "staff/queue.html", {
        "tasks": tasks, "total": found["total"], "page": page, "pages": max(1, -(-found["total"] // PAGE)),
        "filters": shown, "query": query, "kinds": staff.kinds(), "statuses": [s.value for s in Status],
        "colleagues": sorted(names.items(), key=lambda item: item[1]), "names": names,
        "may_assign": staff.may("assign"), "done": done, "failed": failed})


@router.get("/staff/tasks.csv")
async def export(staff: Reader):
    _, params = filters_of(staff)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["tracking_number", "kind", "status", "assignee", "received_at", "due_at", "deadline_state"])
    offset = 0
    while offset < CSV_MAX:
        found = await staff.call("review", "GET", "/api/v1/tasks", params={**params, "limit": 200, "offset": offset})
        for t in found["items"]:
            writer.writerow([t["tracking_number"], t["kind"], t["status"], t["assignee"] or "", t["received_at"] or "",
                             nearest_due(t) or "", deadline_state(t)])
        offset += 200
        if offset >= found["total"]:
            break
    return Response(out.getvalue().encode("utf-8-sig"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="lamadi-tasks.csv"'})


@router.post("/staff/tasks/assign")
async def assign_many(staff: Assigner):
    form = await staff.web.form()
    assignee = str(form.get("assignee") or "").strip()
    ids = [str(v) for v in form.getlist("task_id")][:200]
    back = str(form.get("back") or "")
    done = failed = 0
    if assignee and ids:
        for task_id in ids:
            try:
                await staff.call("review", "POST", f"/api/v1/tasks/{task_id}/assign", json={"assignee": assignee})
                done += 1
            except StaffApiRefused:
                failed += 1
    else:
        failed = max(1, len(ids))
    kept = {k: v for k, v in parse_qsl(back) if k in FILTERS}  # back to the same filtered list
    return see_other(f"/staff/tasks?{urlencode({**kept, 'done': done, 'failed': failed})}")
