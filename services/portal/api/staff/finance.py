"""Supplier invoices, step by step: what waits to be verified, to be approved for payment, to be
paid, and what was paid lately. The steps themselves are taken on each invoice's task page."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from services.portal.api.staff.pages import deadline_state, nearest_due, staff_page
from services.portal.api.staff.session import allowed

router = APIRouter(include_in_schema=False)
Cashier = allowed("record_step")
KIND = "supplier_invoice"
OPEN = ("queued", "in_review", "awaiting_applicant")
# (bucket, review's filters)
BUCKETS = (
    ("to_verify", {"step": "none"}),
    ("to_approve", {"step": "verified"}),
    ("to_pay", {"step": "approved_for_payment", "status": "in_review"}),
    ("paid_decided", {"status": "decided"}),
    ("paid_closed", {"status": "closed"}),
)


@router.get("/staff/finance", response_class=HTMLResponse)
async def invoices(staff: Cashier):
    pages = await asyncio.gather(*(staff.call("review", "GET", "/api/v1/tasks", params={
        "kind": KIND, "sort": "due_at", "limit": 100, **params}) for _, params in BUCKETS))
    found = {name: page["items"] for (name, _), page in zip(BUCKETS, pages)}
    paid = [t for t in found["paid_decided"] + found["paid_closed"] if (t["decision"] or {}).get("outcome") == "paid"]
    lists = {
        "to_verify": [t for t in found["to_verify"] if t["status"] in OPEN],
        "to_approve": [t for t in found["to_approve"] if t["status"] in OPEN],
        "to_pay": found["to_pay"],
        "paid": sorted(paid, key=lambda t: t["updated_at"], reverse=True)[:20],
    }
    rows = {name: [{**t, "state": deadline_state(t), "due": nearest_due(t)} for t in items]
            for name, items in lists.items()}
    return staff_page(staff, "staff/finance.html", {"lists": rows})
