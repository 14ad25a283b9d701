"""The filing form page, shown first, again with errors, and for a resumed draft."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from services.portal.forms import KindForm
from services.portal.routes.common import ACCEPT_ATTRIBUTE, keep_pending, views
from services.portal.staging import Pending


def render_form(request: Request, spec: KindForm, pending: Pending | None, errors: dict[str, str],
                status: int = 200) -> HTMLResponse:
    order = [f.name for f in spec.all_fields()] + [d["code"] for d in spec.documents]
    summary = sorted(errors.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))
    response = views(request).render(request, "file_form.html", {
        "spec": spec, "values": pending.values if pending else {}, "attached": pending.attached() if pending else {},
        "errors": errors, "summary": summary, "accept": ACCEPT_ATTRIBUTE, "draft": bool(pending and pending.draft),
    }, status=status)
    if pending is not None:
        keep_pending(request, response, pending)
    return response
