"""Home (the catalogue), language switch, published committee opinions, accessibility
statement and contact."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse

from services.portal.i18n import LANGUAGE_COOKIE, LANGUAGES
from services.portal.routes.common import cid, intake, see_other, views

router = APIRouter(include_in_schema=False)
COMMITTEE_KINDS = ("building_permit", "subdivision_permit")
OPINIONS_PAGE = 20


@router.get("/", response_class=HTMLResponse)
async def home(request: Request):
    return views(request).render(request, "home.html", {"catalogue": await intake(request).catalogue()})


@router.get("/language/{language}")
async def switch_language(request: Request, language: str, next: str = "/"):
    # Only a path of this site: never an open redirect.
    target = next if next.startswith("/") and not next.startswith("//") and "\\" not in next else "/"
    response = see_other(target)
    if language in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 86400, samesite="lax",
                            secure=request.app.state.settings.secure_cookies)
    return response


@router.get("/accessibility", response_class=HTMLResponse)
async def accessibility(request: Request):
    return views(request).render(request, "accessibility.html")


@router.get("/contact", response_class=HTMLResponse)
async def contact(request: Request):
    return views(request).render(request, "contact.html")


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@router.get("/opinions", response_class=HTMLResponse)
async def opinions(request: Request, kind: Annotated[str | None, Query()] = None,
                   since: Annotated[str | None, Query(alias="from")] = None,
                   until: Annotated[str | None, Query(alias="to")] = None):
    kind = kind if kind in COMMITTEE_KINDS else None
    start, end = _day(since), _day(until)
    page = await intake(request).opinions(kind=kind, limit=OPINIONS_PAGE, offset=0, correlation_id=cid(request),
                                          published_from=start and start.isoformat(),
                                          published_to=end and end.isoformat())
    items = page["items"]
    catalogue = {e["kind"]: e for e in await intake(request).catalogue()}
    return views(request).render(request, "opinions.html", {
        "items": items[:OPINIONS_PAGE], "kinds": [catalogue[k] for k in COMMITTEE_KINDS if k in catalogue],
        "catalogue": catalogue, "filters": {"kind": kind or "", "from": since or "", "to": until or ""},
        "invalid_dates": bool((since and not start) or (until and not end))})


@router.get("/logo")
async def logo(request: Request):
    """The agency's logo, from its identity settings (LAMADI_AGENCY_LOGO_PATH)."""
    return FileResponse(views(request).agency.logo_path, headers={"Cache-Control": "public, max-age=86400"})
