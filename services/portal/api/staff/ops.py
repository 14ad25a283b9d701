"""Operations: the queues (refreshing themselves), parked messages with their error and event
(replay or drop, each confirmed first; reporting audits them), each service's readiness and
outbox backlog, email deliveries with resend, and the daily reports' archive."""

from __future__ import annotations

import asyncio
import re
from datetime import date
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, StreamingResponse

from services.portal.api.staff.pages import staff_page
from services.portal.api.staff.session import allowed
from services.portal.api.web import text
from services.portal.domain.errors import PageNotFound
from shared.vocabulary import VOCABULARY, Family

router = APIRouter(include_in_schema=False)
Operator, ParkedOperator = allowed("queues"), allowed("parked")
DeliveryReader, Resender, ReportReader = allowed("deliveries"), allowed("resend"), allowed("reports")
QUEUE_NAME = re.compile(r"^[a-z0-9.-]{1,200}$")
MOVES = ("replay", "drop")  # what may be done with parked messages (reporting's two commands)
FORMATS = ("pdf", "xlsx", "csv", "json")
DELIVERY_PAGE, DELIVERY_STATES = 25, tuple(VOCABULARY.families[Family.DELIVERY_STATES])
PARKED_SHOWN, ACTIONS_SHOWN = 100, 20


def _queue(name: str) -> str:
    if not QUEUE_NAME.fullmatch(name):
        raise PageNotFound()
    return name


def _move(name: str) -> str:
    if name not in MOVES:
        raise PageNotFound()
    return name


@router.get("/ops/queues", response_class=HTMLResponse)
async def ops_queues(staff: Operator):
    found = await staff.reporting.queues()
    return await staff_page(staff, "staff/ops_queues.html", {
        "vhost": found.vhost, "queues": found.queues, "refresh": staff.deps.settings.ops_refresh_seconds,
        "may_park": staff.may("parked")})


@router.get("/ops/parked/{queue}", response_class=HTMLResponse)
async def ops_parked(queue: str, staff: ParkedOperator):
    found, actions = await asyncio.gather(staff.reporting.parked(_queue(queue), limit=PARKED_SHOWN),
                                          staff.reporting.ops_actions(limit=ACTIONS_SHOWN))
    done = staff.web.request.query_params.get("done")
    return await staff_page(staff, "staff/ops_parked.html", {
        "page": found, "actions": actions.items, "done": done if done in MOVES else None,
        "count": staff.web.request.query_params.get("count", "")})


@router.get("/ops/parked/{queue}/{move}", response_class=HTMLResponse)
async def ops_confirm_parked(queue: str, move: str, staff: ParkedOperator, id: str | None = None):
    move, queue = _move(move), _queue(queue)
    found = await staff.reporting.parked(queue, limit=PARKED_SHOWN)
    messages = [m for m in found.messages if id is None or m.id == id]
    return await staff_page(staff, "staff/ops_confirm.html", {
        "what": move, "queue": found.queue, "messages": messages, "id": id or "",
        "action": staff.path_for("ops_move_parked", queue=found.queue, move=move),
        "back": staff.path_for("ops_parked", queue=found.queue)})


@router.post("/ops/parked/{queue}/{move}")
async def ops_move_parked(queue: str, move: str, staff: ParkedOperator):
    move, queue = _move(move), _queue(queue)
    form = await staff.web.form()
    ids = [text(form, "id")] if text(form, "id") else None
    moving = staff.reporting.replay if move == "replay" else staff.reporting.drop
    moved = await moving(queue, ids)
    return staff.redirect("ops_parked", queue=moved.queue, query={"done": move, "count": moved.count})


@router.get("/ops/services", response_class=HTMLResponse)
async def ops_services(staff: Operator):
    clients = staff.deps.clients
    states = await asyncio.gather(*(client.readiness() for client in clients))
    backlogs = await asyncio.gather(*(client.outbox_backlog() for client in clients))
    rows = [{"name": c.service, **state, "backlog": backlog} for c, state, backlog in zip(clients, states, backlogs)]
    return await staff_page(staff, "staff/ops_services.html", {
        "services": sorted(rows, key=lambda r: r["name"]), "refresh": staff.deps.settings.ops_refresh_seconds})


@router.get("/ops/deliveries", response_class=HTMLResponse)
async def ops_deliveries(staff: DeliveryReader, status: str = "", tracking_number: str = "", page: int = 1):
    page = max(1, min(page, 10**6))
    found = await staff.notifier.deliveries(
        limit=DELIVERY_PAGE, offset=(page - 1) * DELIVERY_PAGE,
        status=status if status in DELIVERY_STATES else None, tracking_number=tracking_number.strip()[:64] or None)
    return await staff_page(staff, "staff/ops_deliveries.html", {
        "items": found.items, "total": found.total, "page": page, "pages": max(1, -(-found.total // DELIVERY_PAGE)),
        "filters": {"status": status, "tracking_number": tracking_number}, "states": DELIVERY_STATES,
        "may_resend": staff.may("resend"), "done": staff.web.request.query_params.get("done") == "resent"})


@router.get("/ops/deliveries/{delivery_id}/resend", response_class=HTMLResponse)
async def ops_confirm_resend(delivery_id: UUID, staff: Resender):
    return await staff_page(staff, "staff/ops_confirm.html", {
        "what": "resend", "queue": "", "messages": [], "id": str(delivery_id),
        "action": staff.path_for("ops_resend", delivery_id=delivery_id), "back": staff.path_for("ops_deliveries")})


@router.post("/ops/deliveries/{delivery_id}/resend")
async def ops_resend(delivery_id: UUID, staff: Resender):
    await staff.web.form()
    await staff.notifier.resend(delivery_id)
    return staff.redirect("ops_deliveries", query={"done": "resent"})


@router.get("/ops/reports", response_class=HTMLResponse)
async def ops_reports(staff: ReportReader):
    """The archive of built days, newest first, each with its files."""
    found = await staff.reporting.daily_reports()
    return await staff_page(staff, "staff/ops_reports.html", {"reports": found.reports})


@router.get("/ops/reports/{day}/{file_format}")
async def ops_report_file(day: str, file_format: str, staff: ReportReader):
    try:
        wanted = date.fromisoformat(day)
    except ValueError:
        raise PageNotFound() from None
    if file_format not in FORMATS:
        raise PageNotFound()
    file = await staff.reporting.daily_report(wanted, file_format)
    name = (file.filename or f"lamadi-daily-{wanted.isoformat()}.{file_format}").replace('"', "")
    return StreamingResponse(file.chunks, media_type=file.content_type,
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})
