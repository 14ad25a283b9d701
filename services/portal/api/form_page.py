"""The filing form page, shown first, again with errors, and for a resumed draft; each kind's
form comes from intake's catalogue."""

from __future__ import annotations

from fastapi.responses import HTMLResponse

from services.portal.adapters.intake_models import CatalogueEntry
from services.portal.adapters.staging import Pending
from services.portal.api.cookies import keep_pending
from services.portal.api.uploads import ACCEPT_ATTRIBUTE
from services.portal.api.web import Web
from services.portal.domain.errors import PageNotFound
from services.portal.domain.forms import KindForm, kind_form


async def catalogue_entry_of(web: Web, kind: str) -> CatalogueEntry:
    """The kind's entry in intake's catalogue; a kind it does not know is a page not found."""
    entry = await web.deps.intake.catalogue_entry(kind)
    if entry is None:
        raise PageNotFound()
    return entry


async def kind_form_of(web: Web, kind: str) -> KindForm:
    return kind_form(await catalogue_entry_of(web, kind))


def render_form(web: Web, spec: KindForm, pending: Pending | None, errors: dict[str, str],
                status: int = 200) -> HTMLResponse:
    order = [f.name for f in spec.all_fields()] + [d["code"] for d in spec.documents]
    summary = sorted(errors.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))
    response = web.render("file_form.html", {
        "spec": spec, "values": pending.values if pending else {}, "attached": pending.attached() if pending else {},
        "errors": errors, "summary": summary, "accept": ACCEPT_ATTRIBUTE, "draft": bool(pending and pending.draft),
    }, status=status)
    if pending is not None:
        keep_pending(web, response, pending)
    return response
