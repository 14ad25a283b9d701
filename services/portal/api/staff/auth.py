"""Sign-in and sign-out of the staff pages. Every attempt, failure, lockout and sign-out is in
the directory's audit trail (handlers/directory.py)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from services.portal.api.cookies import set_sealed
from services.portal.api.staff.pages import home_of, staff_page
from services.portal.api.staff.session import SESSION_COOKIE, Signed, session_token
from services.portal.api.web import WebDep, see_other, text
from services.portal.domain.commands import SignIn
from shared.deps import UnitOfWorkDep

router = APIRouter(include_in_schema=False)


def _local(path: str | None) -> str | None:
    """Only a path of this site's staff pages: never an open redirect."""
    ok = path and path.startswith(("/staff", "/ops")) and not path.startswith("//") and "\\" not in path
    return path if ok and not path.startswith("/staff/sign-") else None


@router.get("/staff/sign-in", response_class=HTMLResponse)
async def sign_in_page(web: WebDep, next: str | None = None):
    return web.render("staff/sign_in.html", {"next": _local(next) or "", "errors": {}, "email": ""})


@router.post("/staff/sign-in", response_class=HTMLResponse)
async def sign_in(web: WebDep, uow: UnitOfWorkDep):
    web.limit("sign_in")
    form, deps = await web.form(), web.deps
    email, password, target = text(form, "email"), str(form.get("password") or ""), _local(text(form, "next"))
    errors = {name: "required" for name, value in (("email", email), ("password", password)) if not value}
    result = None
    if not errors:
        result = await deps.identity.authenticate(SignIn(email, password, web.client), uow, deps)
        if result.refusal:
            errors = {"form": result.refusal}
    if errors:
        return web.render("staff/sign_in.html", {"next": target or "", "errors": errors, "email": email,
                                                 "minutes": deps.settings.lockout_seconds // 60},
                          status=403 if result else 422)
    response = see_other(target or web.path_for(home_of(result.identity.roles, deps.policy)))
    set_sealed(web, response, "staff", SESSION_COOKIE, result.session_token, deps.settings.staff_session_seconds,
               samesite="strict")
    return response


@router.post("/staff/sign-out")
async def sign_out(web: WebDep, uow: UnitOfWorkDep):
    await web.form()  # its CSRF token only
    token = session_token(web)
    if token:
        await web.deps.identity.end(token, web.client, uow, web.deps)
    response = see_other(web.path_for("sign_in_page") + "?signed_out=1")
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/staff", response_class=HTMLResponse)
async def staff_home(staff: Signed):
    return staff.redirect(home_of(staff.roles, staff.deps.policy))


@router.get("/staff/account", response_class=HTMLResponse)
async def staff_account(staff: Signed):
    return await staff_page(staff, "staff/account.html", {})
