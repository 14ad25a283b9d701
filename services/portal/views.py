"""Server-side rendering: one Jinja2 environment, the request's language and its message
catalogue, the agency's identity and the helpers templates use to name codes: the services'
codes by shared/vocabulary.toml (as emails and PDFs name them), the portal's own by its
message catalogue."""

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
from shared import vocabulary
from shared.agency import AgencyIdentity
from shared.vocabulary import Family

TEMPLATES = Path(__file__).with_name("templates")
FAMILIES = frozenset(Family)  # named('statuses', code) reads the vocabulary; named('fields', code) labels.py


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
            if table in FAMILIES:
                return vocabulary.name(table, code, language)
            return labels.label(getattr(labels, table.upper()), code, _)

        def error_text(key: str, label: str | None) -> str:
            # gettext("") is the catalogue's header: a field without a label is "this field".
            shown = _(label) if label else _("This field")
            return _(labels.ERRORS.get(key, labels.ERRORS["format"])) % {"label": shown}

        def days(count: int, unit: str) -> str:
            return vocabulary.days(count, unit, language)

        def deadline_text(rule: dict) -> Markup:
            """The deadline as the receipt states it: « Décision : 10 jours ouvrables »."""
            return _("%(deadline)s: %(duration)s", deadline=named(Family.DEADLINES, rule["name"]),
                     duration=days(rule["days"], rule["unit"]))

        return self.env.get_template(name).render(
            lang=language, dir="rtl" if language == "ar" else "ltr", _=_, gettext=_, ngettext=t.ngettext,
            named=named, error_text=error_text, days=days, deadline_text=deadline_text, csrftoken=csrftoken,
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
