"""The portal's sealed cookies (encrypted and dated, HttpOnly): the filing this browser follows
(its tracking number and access code, never in an address), the answers held between the form
and "check your answers", and the language chosen."""

from __future__ import annotations

from fastapi import Response

from services.portal.adapters.staging import Pending
from services.portal.api.i18n import LANGUAGE_COOKIE, LANGUAGES
from services.portal.api.web import Web

TRACK_COOKIE = "lamadi_track"
PENDING_COOKIE = "lamadi_pending"
LANGUAGE_SECONDS = 365 * 86400


def sealed(web: Web, purpose: str, name: str, max_age: int) -> object | None:
    return web.deps.sealers[purpose].unseal(web.request.cookies.get(name), max_age)


def set_sealed(web: Web, response: Response, purpose: str, name: str, value: object, max_age: int,
               samesite: str = "lax") -> None:
    response.set_cookie(name, web.deps.sealers[purpose].seal(value), max_age=max_age, httponly=True,
                        samesite=samesite, secure=web.settings.secure_cookies)


def tracked(web: Web) -> dict | None:
    """The filing this browser follows: {"tracking_number", "access_code"} from its sealed cookie."""
    value = sealed(web, "track", TRACK_COOKIE, web.settings.tracking_session_seconds)
    return value if isinstance(value, dict) else None


def follow(web: Web, response: Response, tracking_number: str, access_code: str) -> None:
    set_sealed(web, response, "track", TRACK_COOKIE, {"tracking_number": tracking_number, "access_code": access_code},
               web.settings.tracking_session_seconds)


def pending_of(web: Web, kind: str | None = None) -> Pending | None:
    pending_id = sealed(web, "pending", PENDING_COOKIE, web.settings.staging_seconds)
    pending = web.deps.pending_store.load(pending_id)
    return pending if pending is not None and (kind is None or pending.kind == kind) else None


def keep_pending(web: Web, response: Response, pending: Pending) -> None:
    set_sealed(web, response, "pending", PENDING_COOKIE, pending.id, web.settings.staging_seconds)


def set_language(web: Web, response: Response, language: str) -> None:
    if language in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=LANGUAGE_SECONDS, samesite="lax",
                            secure=web.settings.secure_cookies)
