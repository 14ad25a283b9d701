"""Sign-in and sign-out of the staff pages. Every attempt, failure, lockout and sign-out is in
the directory's audit trail (handlers/directory.py)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from services.portal import handlers
from services.portal.deps import Deps
from services.portal.routes.common import limit, read_form, see_other, set_sealed, text, views
from services.portal.routes.staff.pages import home_of, staff_page
from services.portal.routes.staff.session import SESSION_COOKIE, Signed, client_of, session_token
from shared.deps import UnitOfWorkDep

router = APIRouter(include_in_schema=False)


def _local(path: str | None) -> str | None:
    """Only a path of this site's staff pages: never an open redirect."""
    ok = path and path.startswith(("/staff", "/ops")) and not path.startswith("//") and "\\" not in path
    return path if ok and not path.startswith("/staff/sign-") else None


@router.get("/staff/sign-in", response_class=HTMLResponse)
async def sign_in_page(request: Request, next: str | None = None):
    return views(request).render(request, "staff/sign_in.html", {"next": _local(next) or "", "errors": {},
                                                                 "email": ""})


@router.post("/staff/sign-in", response_class=HTMLResponse)
async def sign_in(request: Request, uow: UnitOfWorkDep, deps: Deps):
    limit(request, "sign_in")
    form = await read_form(request)
    email, password, target = text(form, "email"), str(form.get("password") or ""), _local(text(form, "next"))
    errors = {name: "required" for name, value in (("email", email), ("password", password)) if not value}
    result = None
    if not errors:
        result = await deps.identity.authenticate(handlers.SignIn(email, password, client_of(request)), uow, deps)
        if result.refusal:
            errors = {"form": result.refusal}
    if errors:
        return views(request).render(request, "staff/sign_in.html", {
            "next": target or "", "errors": errors, "email": email,
            "minutes": deps.settings.lockout_seconds // 60}, status=403 if result else 422)
    response = see_other(target or home_of(result.identity.roles, deps.policy))
    set_sealed(request, response, "staff", SESSION_COOKIE, result.session_token, deps.settings.staff_session_seconds,
               samesite="strict")
    return response


@router.post("/staff/sign-out")
async def sign_out(request: Request, uow: UnitOfWorkDep, deps: Deps):
    await read_form(request)  # its CSRF token only
    token = session_token(request)
    if token:
        await deps.identity.end(token, client_of(request), uow, deps)
    response = see_other("/staff/sign-in?signed_out=1")
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/staff", response_class=HTMLResponse)
async def staff_home(request: Request, staff: Signed):
    return see_other(home_of(staff.roles, staff.deps.policy))


@router.get("/staff/account", response_class=HTMLResponse)
async def account(request: Request, staff: Signed):
    return staff_page(request, staff, "staff/account.html", {})
