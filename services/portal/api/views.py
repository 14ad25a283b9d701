"""Server-side rendering: one Jinja2 environment, the request's language and its message
catalogue, the agency's identity, the helpers templates use to name codes (the services'
codes by shared/vocabulary.toml, as emails and PDFs name them; the portal's own by its message
catalogue), and ``url_for``: templates name the routes they link to, never write their paths."""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import partial
from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from services.portal.api.i18n import LANGUAGE_COOKIE, day, language_of, ltr, moment
from services.portal.api.security import CsrfTokens
from services.portal.domain import labels
from shared import vocabulary
from shared.agency import AgencyIdentity
from shared.process import COMPILED_TEMPLATES
from shared.vocabulary import Family

TEMPLATES = Path(__file__).parents[1] / "templates"  # services/portal/templates
FAMILIES = frozenset(Family)  # named('statuses', code) reads the vocabulary; named('fields', code) labels.py


def path_for(request: Request, name: str, /, **params: object) -> str:
    """The path of the route named ``name`` (its function's name), with its path parameters."""
    return str(request.app.url_path_for(name, **{k: str(v) for k, v in params.items()}))


def _no_routes(name: str, /, **params: object) -> str:
    raise LookupError(f"url_for({name!r}) in a page rendered outside a request")


class Views:
    def __init__(self, translations: dict[str, gettext.GNUTranslations], agency: AgencyIdentity,
                 max_document_bytes: int, *, csrf: CsrfTokens, secure_cookies: bool):
        self.translations, self.agency = translations, agency
        self.csrf, self.secure_cookies = csrf, secure_cookies
        self.env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(),
                               extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True,
                               bytecode_cache=COMPILED_TEMPLATES)
        self.env.filters.update(ltr=ltr, day=day, moment=moment)
        self.env.globals.update(agency=agency, max_mb=max_document_bytes // (1024 * 1024))

    def language(self, request: Request) -> str:
        return language_of(request.cookies.get(LANGUAGE_COOKIE))

    def page(self, language: str, name: str, context: dict, *, csrftoken: str = "", path: str = "/",
             url_for: Callable[..., str] = _no_routes) -> str:
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

        return self.env.get_template(name).render(
            lang=language, dir="rtl" if language == "ar" else "ltr", _=_, gettext=_, ngettext=t.ngettext,
            named=named, error_text=error_text, days=days, csrftoken=csrftoken,
            current_path=path, url_for=url_for, **context)

    def render(self, request: Request, name: str, context: dict | None = None, *, status: int = 200,
               headers: dict[str, str] | None = None) -> HTMLResponse:
        token, new_cookie = self.csrf.token(request.cookies.get(self.csrf.COOKIE))
        html = self.page(self.language(request), name, context or {}, csrftoken=token, path=request.url.path,
                         url_for=partial(path_for, request))
        response = HTMLResponse(html, status_code=status, headers=headers)
        if new_cookie:
            response.set_cookie(self.csrf.COOKIE, new_cookie, httponly=True, samesite="lax",
                                secure=self.secure_cookies)
        return response

