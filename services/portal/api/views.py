"""Server-side rendering: one Jinja2 environment, the request's language and its message
catalogue, the agency's identity and the helpers templates use to name codes."""

from __future__ import annotations

import gettext
from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from services.portal import labels
from services.portal.i18n import LANGUAGE_COOKIE, day, language_of, ltr, moment
from services.portal.security import CsrfTokens
from shared.agency import AgencyIdentity

TEMPLATES = Path(__file__).with_name("templates")


class Views:
    def __init__(self, translations: dict[str, gettext.GNUTranslations], agency: AgencyIdentity,
                 max_document_bytes: int):
        self.translations, self.agency = translations, agency
        self.env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(),
                               extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
        self.env.filters.update(ltr=ltr, day=day, moment=moment)
        self.env.globals.update(agency=agency, max_mb=max_document_bytes // (1024 * 1024))

    def language(self, request: Request) -> str:
        return language_of(request.cookies.get(LANGUAGE_COOKIE))

    def page(self, language: str, name: str, context: dict, *, csrftoken: str = "", path: str = "/") -> str:
        t = self.translations[language]

        def _(message: str, **params: object) -> Markup:
            """gettext, escaped, with named %-parameters (escaped unless Markup)."""
            text = escape(t.gettext(message))
            return text % params if params else text

        def named(table: str, code: str) -> str:
            return labels.label(getattr(labels, table.upper()), code, _)

        def error_text(key: str, label: str) -> str:
            return _(labels.ERRORS.get(key, labels.ERRORS["format"])) % {"label": _(label)}

        def deadline_text(rule: dict) -> Markup:
            unit = _(labels.UNITS.get(rule["unit"], rule["unit"]))
            text = _(labels.DEADLINES.get(rule["name"], "%(days)s %(unit)s"))
            return Markup(text) % {"days": ltr(rule["days"]), "unit": unit}

        return self.env.get_template(name).render(
            lang=language, dir="rtl" if language == "ar" else "ltr", _=_, gettext=_, ngettext=t.ngettext,
            named=named, error_text=error_text, deadline_text=deadline_text, csrftoken=csrftoken,
            current_path=path, **context)

    def render(self, request: Request, name: str, context: dict | None = None, *, status: int = 200,
               headers: dict[str, str] | None = None) -> HTMLResponse:
        csrf: CsrfTokens = request.app.state.deps.csrf
        token, new_cookie = csrf.token(request.cookies.get(csrf.COOKIE))
        html = self.page(self.language(request), name, context or {}, csrftoken=token, path=request.url.path)
        response = HTMLResponse(html, status_code=status, headers=headers)
        if new_cookie:
            response.set_cookie(csrf.COOKIE, new_cookie, httponly=True, samesite="lax",
                                secure=request.app.state.settings.secure_cookies)
        return response
