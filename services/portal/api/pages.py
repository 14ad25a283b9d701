"""Home (the catalogue), language switch, published committee opinions, accessibility
statement and contact."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse, HTMLResponse

from services.portal.api.cookies import set_language
from services.portal.api.web import WebDep, see_other

router = APIRouter(include_in_schema=False)
OPINIONS_PAGE = 20


@router.get("/", response_class=HTMLResponse)
async def home(web: WebDep):
    return web.render("home.html", {"catalogue": await web.deps.intake.catalogue()})


@router.get("/language/{language}")
async def switch_language(web: WebDep, language: str, next: str = ""):
    # Only a path of this site: never an open redirect.
    local = next.startswith("/") and not next.startswith("//") and "\\" not in next
    target = next if local else web.path_for("home")
    response = see_other(target)
    set_language(web, response, language)
    return response


@router.get("/accessibility", response_class=HTMLResponse)
async def accessibility(web: WebDep):
    return web.render("accessibility.html")


@router.get("/contact", response_class=HTMLResponse)
async def contact(web: WebDep):
    return web.render("contact.html")


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@router.get("/opinions", response_class=HTMLResponse)
async def opinions(web: WebDep, kind: Annotated[str | None, Query()] = None,
                   since: Annotated[str | None, Query(alias="from")] = None,
                   until: Annotated[str | None, Query(alias="to")] = None):
    catalogue = {entry.kind: entry for entry in await web.deps.intake.catalogue()}
    # The kinds a committee reviews, as intake's catalogue says (its review path).
    committee_kinds = [entry for entry in catalogue.values() if entry.review_path == "committee"]
    kind = kind if kind in {entry.kind for entry in committee_kinds} else None
    start, end = _day(since), _day(until)
    page = await web.deps.intake.opinions(kind=kind, limit=OPINIONS_PAGE, offset=0,
                                          published_from=start and start.isoformat(),
                                          published_to=end and end.isoformat())
    return web.render("opinions.html", {
        "items": page.items[:OPINIONS_PAGE], "kinds": committee_kinds,
        "catalogue": catalogue, "filters": {"kind": kind or "", "from": since or "", "to": until or ""},
        "invalid_dates": bool((since and not start) or (until and not end))})


@router.get("/logo")
async def logo(web: WebDep):
    """The agency's logo, from its identity settings (LAMADI_AGENCY_LOGO_PATH)."""
    return FileResponse(web.deps.agency.logo_path, headers={"Cache-Control": "public, max-age=86400"})
