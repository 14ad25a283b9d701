"""What every page works with: its request and the portal's dependencies, as one typed route
dependency (``WebDep``), so no route reaches for ``request.app.state``. It renders templates,
reads a posted form once its CSRF token matches, and counts the request against a rate limit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import FormData
from starlette.formparsers import MultiPartException

from services.portal.api.security import CsrfRefused
from services.portal.deps import Deps, PortalDeps
from services.portal.settings import PortalSettings
from shared.problems import Problem

MAX_FORM_FIELDS = 60


@dataclass(frozen=True)
class Web:
    request: Request
    deps: PortalDeps

    @property
    def settings(self) -> PortalSettings:
        return self.deps.settings

    @property
    def language(self) -> str:
        return self.deps.views.language(self.request)

    @property
    def client(self) -> str | None:
        """The client's address (rate limits, the directory's audit trail)."""
        return self.request.client.host if self.request.client else None

    def render(self, template: str, context: dict | None = None, *, status: int = 200,
               headers: dict[str, str] | None = None) -> HTMLResponse:
        return self.deps.views.render(self.request, template, context, status=status, headers=headers)

    def path_for(self, name: str, /, **params: object) -> str:
        """The path of a named route (templates have the same as ``url_for``)."""
        return str(self.request.app.url_path_for(name, **{k: str(v) for k, v in params.items()}))

    def limit(self, name: str) -> None:
        """Counts this request against the named rate limit of its client address (429 past it)."""
        self.deps.rate_limits[name].hit(self.client or "unknown")

    async def form(self) -> FormData:
        """The posted form, once its CSRF token matches this browser's cookie (CsrfRefused otherwise)."""
        settings = self.settings
        if int(self.request.headers.get("content-length") or 0) > settings.max_body_bytes:
            raise Problem(413, "Request too large")
        try:
            form = await self.request.form(max_files=settings.max_documents + 1, max_fields=MAX_FORM_FIELDS)
        except MultiPartException:
            raise Problem(400, "Malformed form") from None
        csrf = self.deps.csrf
        if not csrf.matches(self.request.cookies.get(csrf.COOKIE), form.get(csrf.FIELD)):
            raise CsrfRefused()
        return form


async def _web(request: Request, deps: Deps) -> Web:
    return Web(request, deps)


WebDep = Annotated[Web, Depends(_web)]


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def see_other(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)
