"""Supplier invoices by finance stage, as review tells each invoice's: what waits to be verified,
to be approved for payment, to be paid, and what was paid. The steps themselves are taken on
each invoice's task page."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from services.portal.api.staff.pages import staff_page
from services.portal.api.staff.session import allowed
from shared.vocabulary import VOCABULARY, Family

router = APIRouter(include_in_schema=False)
Cashier = allowed("record_step")
STAGES = tuple(VOCABULARY.families[Family.FINANCE_STAGES])  # review's stages, in the vocabulary's order
LISTED = 100  # invoices shown per stage, nearest deadline first


@router.get("/staff/finance", response_class=HTMLResponse)
async def supplier_invoices(staff: Cashier):
    pages = await asyncio.gather(*(staff.review.tasks(finance_stage=stage, sort="due_at", limit=LISTED)
                                   for stage in STAGES))
    return await staff_page(staff, "staff/finance.html", {
        "stages": [(stage, page.items) for stage, page in zip(STAGES, pages)]})
