"""Supplier invoices by finance stage, as review tells each invoice's: what waits to be verified,
to be approved for payment, to be paid, and what was paid. The steps themselves are taken on
each invoice's task page."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from services.portal.adapters.models.review import TaskPage
from services.portal.api.staff.pages import staff_page
from services.portal.api.staff.session import StaffContext, allowed
from shared.vocabulary import VOCABULARY, Family

router = APIRouter(include_in_schema=False)
Cashier = allowed("record_step")
FINANCE = "finance"  # the catalogue's review path of the kinds paid step by step
STAGES = tuple(VOCABULARY.families[Family.FINANCE_STAGES])  # review's stages, in the vocabulary's order
LISTED = 100  # invoices shown per stage, nearest deadline first


async def _at_stage(staff: StaffContext, stage: str, kinds: list[str]) -> list:
    pages: list[TaskPage] = await asyncio.gather(*(
        staff.review.tasks(kind=kind, finance_stage=stage, sort="due_at", limit=LISTED) for kind in kinds))
    return [task for page in pages for task in page.items]


@router.get("/staff/finance", response_class=HTMLResponse)
async def supplier_invoices(staff: Cashier):
    kinds = (await staff.catalogue()).kinds_on(FINANCE)
    lists = await asyncio.gather(*(_at_stage(staff, stage, kinds) for stage in STAGES))
    return await staff_page(staff, "staff/finance.html", {"stages": list(zip(STAGES, lists))})
