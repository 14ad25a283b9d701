"""Operations: the queues (refreshing themselves), parked messages with their error and event
(replay or drop, each confirmed first; reporting audits them), each service's readiness and
outbox backlog, email deliveries with resend, and the daily reports' archive."""

from __future__ import annotations

import asyncio
import re
from datetime import date

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, StreamingResponse

from services.portal.api.staff.pages import staff_page
from services.portal.api.staff.session import allowed
from services.portal.api.web import see_other, text
from services.portal.domain.errors import PageNotFound

router = APIRouter(include_in_schema=False)
Operator, ParkedOperator = allowed("queues"), allowed("parked")
DeliveryReader, Resender, ReportReader = allowed("deliveries"), allowed("resend"), allowed("reports")
QUEUE_NAME = re.compile(r"^[a-z0-9.-]{1,200}$")
ACTIONS = ("replay", "drop")
FORMATS = ("pdf", "xlsx", "csv", "json")
DELIVERY_PAGE = 25


@router.get("/ops/queues", response_class=HTMLResponse)
async def queues(staff: Operator):
    found = await staff.call("reporting", "GET", "/api/v1/ops/queues")
    return staff_page(staff, "staff/ops_queues.html", {
        "vhost": found.get("vhost"), "queues": found["queues"], "refresh": staff.deps.settings.ops_refresh_seconds,
        "may_park": staff.may("parked")})


def _queue(name: str) -> str:
    if not QUEUE_NAME.fullmatch(name):
        raise PageNotFound()
    return name


@router.get("/ops/parked/{queue}", response_class=HTMLResponse)
async def parked(queue: str, staff: ParkedOperator):
    found, actions = await asyncio.gather(
        staff.call("reporting", "GET", f"/api/v1/ops/parked/{_queue(queue)}", params={"limit": 100}),
        staff.call("reporting", "GET", "/api/v1/ops/actions", params={"limit": 20}))
    done = staff.web.request.query_params.get("done")
    return staff_page(staff, "staff/ops_parked.html", {
        "page": found, "actions": actions["items"], "done": done if done in ACTIONS else None,
        "count": staff.web.request.query_params.get("count", "")})


@router.get("/ops/parked/{queue}/{action}", response_class=HTMLResponse)
async def confirm_parked(queue: str, action: str, staff: ParkedOperator, id: str | None = None):
    if action not in ACTIONS:
        raise PageNotFound()
    found = await staff.call("reporting", "GET", f"/api/v1/ops/parked/{_queue(queue)}", params={"limit": 100})
    messages = [m for m in found["messages"] if id is None or m["id"] == id]
    return staff_page(staff, "staff/ops_confirm.html", {
        "what": action, "queue": found["queue"], "messages": messages, "id": id or "",
        "action": f"/ops/parked/{found['queue']}/{action}", "back": f"/ops/parked/{found['queue']}"})


@router.post("/ops/parked/{queue}/{action}")
async def move_parked(queue: str, action: str, staff: ParkedOperator):
    if action not in ACTIONS:
        raise PageNotFound()
    form = await staff.web.form()
    ids = [text(form, "id")] if text(form, "id") else None
    moved = await staff.call("reporting", "POST", f"/api/v1/ops/parked/{_queue(queue)}/{action}", json={"ids": ids})
    return see_other(f"/ops/parked/{moved['queue']}?done={action}&count={moved['count']}")


@router.get("/ops/services", response_class=HTMLResponse)
async def services(staff: Operator):
    api = staff.deps.staff_api
    names = list(api.urls)
    states = await asyncio.gather(*(api.readiness(name) for name in names))
    backlogs = await asyncio.gather(*(api.outbox_backlog(name) for name in names))
    rows = [{"name": n, **state, "backlog": backlog} for n, state, backlog in zip(names, states, backlogs)]
    return staff_page(staff, "staff/ops_services.html", {
        "services": sorted(rows, key=lambda r: r["name"]), "refresh": staff.deps.settings.ops_refresh_seconds})


@router.get("/ops/deliveries", response_class=HTMLResponse)
async def deliveries(staff: DeliveryReader, status: str = "", tracking_number: str = "",
                     page: int = 1):
    page = max(1, min(page, 10**6))
    params = {"limit": DELIVERY_PAGE, "offset": (page - 1) * DELIVERY_PAGE}
    if status in ("pending", "sent", "failed"):
        params["status"] = status
    if tracking_number.strip():
        params["tracking_number"] = tracking_number.strip()[:64]
    found = await staff.call("notifier", "GET", "/api/v1/deliveries", params=params)
    return staff_page(staff, "staff/ops_deliveries.html", {
        "items": found["items"], "total": found["total"], "page": page,
        "pages": max(1, -(-found["total"] // DELIVERY_PAGE)), "filters": {"status": status,
                                                                         "tracking_number": tracking_number},
        "may_resend": staff.may("resend"), "done": staff.web.request.query_params.get("done") == "resent"})


@router.get("/ops/deliveries/{delivery_id}/resend", response_class=HTMLResponse)
async def confirm_resend(delivery_id: str, staff: Resender):
    return staff_page(staff, "staff/ops_confirm.html", {
        "what": "resend", "queue": "", "messages": [], "id": delivery_id,
        "action": f"/ops/deliveries/{delivery_id}/resend", "back": "/ops/deliveries"})


@router.post("/ops/deliveries/{delivery_id}/resend")
async def resend(delivery_id: str, staff: Resender):
    await staff.web.form()
    await staff.call("notifier", "POST", f"/api/v1/deliveries/{delivery_id}/resend")
    return see_other("/ops/deliveries?done=resent")


@router.get("/ops/reports", response_class=HTMLResponse)
async def reports(staff: ReportReader):
    """The archive of built days (reporting's ``GET /api/v1/reports/daily`` without a date). A
    reporting service that still answers today's figures there shows today's only."""
    found = await staff.call("reporting", "GET", "/api/v1/reports/daily")
    archive = found.get("reports") if isinstance(found, dict) else None
    return staff_page(staff, "staff/ops_reports.html", {
        "reports": archive or [], "archive": archive is not None, "formats": FORMATS,
        "today": date.today().isoformat()})


@router.get("/ops/reports/{day}/{fmt}")
async def report_file(day: str, fmt: str, staff: ReportReader):
    try:
        day = date.fromisoformat(day).isoformat()
    except ValueError:
        raise PageNotFound()
    if fmt not in FORMATS:
        raise PageNotFound()
    file = await staff.download("reporting", "/api/v1/reports/daily", params={"date": day, "format": fmt})
    name = (file.filename or f"lamadi-daily-{day}.{fmt}").replace('"', "")
    return StreamingResponse(file.chunks, media_type=file.content_type,
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})
