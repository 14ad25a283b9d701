"""The staff directory's admin page (the policy's ``directory``: admin) and the standard replies
(``replies``: supervisors). Both write the portal's own schema through its handlers, in the
request's unit of work; every change is audited."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from services.portal import handlers
from services.portal.deps import Deps
from services.portal.routes.common import read_form, see_other, text
from services.portal.routes.staff.pages import staff_page
from services.portal.routes.staff.session import StaffContext, allowed
from shared.auth import ROLES
from shared.deps import UnitOfWorkDep
from shared.errors import InvalidInput

router = APIRouter(include_in_schema=False)
Admin, ReplyEditor = allowed("directory"), allowed("replies")
ACCOUNT_ACTIONS = ("disable", "enable", "unlock", "password", "roles")


async def _directory(request: Request, staff: StaffContext, uow, deps, *, errors: dict | None = None,
                     values: dict | None = None, status: int = 200) -> HTMLResponse:
    accounts, trail = await handlers.list_staff(handlers.ListStaff(audit_limit=50), uow, deps)
    now = deps.clock()
    done = request.query_params.get("done")
    return staff_page(request, staff, "staff/admin.html", {
        "accounts": [(a, a.locked(now)) for a in accounts], "trail": trail, "roles": ROLES,
        "errors": errors or {}, "values": values or {}, "done": done if done in ("added", *ACCOUNT_ACTIONS) else None},
        status=status)


@router.get("/staff/admin", response_class=HTMLResponse)
async def directory(request: Request, staff: Admin, uow: UnitOfWorkDep, deps: Deps):
    return await _directory(request, staff, uow, deps)


@router.post("/staff/admin", response_class=HTMLResponse)
async def add(request: Request, staff: Admin, uow: UnitOfWorkDep, deps: Deps):
    form = await read_form(request)
    values = {"email": text(form, "email"), "full_name": text(form, "full_name"), "roles": form.getlist("roles")}
    try:
        await handlers.add_staff(handlers.AddStaff(values["email"], values["full_name"], list(values["roles"]),
                                                   str(form.get("password") or ""), staff.identity.sub), uow, deps)
    except InvalidInput as invalid:
        return await _directory(request, staff, uow, deps, errors={invalid.field: invalid.errors[0]["code"]},
                                values=values, status=422)
    return see_other("/staff/admin?done=added")


@router.post("/staff/admin/{email}/{action}", response_class=HTMLResponse)
async def change(request: Request, email: str, action: str, staff: Admin, uow: UnitOfWorkDep, deps: Deps):
    form = await read_form(request)
    actor = staff.identity.sub
    try:
        if action in ("disable", "enable"):
            await handlers.disable_staff(handlers.DisableStaff(email, actor, action == "disable"), uow, deps)
        elif action == "unlock":
            await handlers.unlock_staff(handlers.UnlockStaff(email, actor), uow, deps)
        elif action == "password":
            await handlers.reset_password(handlers.ResetPassword(email, str(form.get("password") or ""), actor),
                                          uow, deps)
        elif action == "roles":
            await handlers.change_roles(handlers.ChangeRoles(email, list(form.getlist("roles")), actor), uow, deps)
        else:
            return await _directory(request, staff, uow, deps, status=404)
    except InvalidInput as invalid:
        return await _directory(request, staff, uow, deps, errors={f"{email}:{invalid.field}": invalid.errors[0]["code"]},
                                status=422)
    return see_other(f"/staff/admin?done={action}")


async def _replies(request: Request, staff: StaffContext, uow, deps, *, errors: dict | None = None,
                   values: dict | None = None, status: int = 200) -> HTMLResponse:
    kinds = staff.kinds()
    replies = await handlers.list_replies(handlers.ListReplies(kinds), uow, deps)
    editing = request.query_params.get("edit")
    values = values or next(({"id": str(r["id"]), "kind": r["kind"], "title": r["title"], "body": r["body"]}
                             for r in replies if str(r["id"]) == editing), {})
    done = request.query_params.get("done")
    return staff_page(request, staff, "staff/replies.html", {
        "replies": replies, "kinds": kinds, "errors": errors or {}, "values": values,
        "done": done if done in ("saved", "deleted") else None}, status=status)


@router.get("/staff/replies", response_class=HTMLResponse)
async def replies(request: Request, staff: ReplyEditor, uow: UnitOfWorkDep, deps: Deps):
    return await _replies(request, staff, uow, deps)


@router.post("/staff/replies", response_class=HTMLResponse)
async def save_reply(request: Request, staff: ReplyEditor, uow: UnitOfWorkDep, deps: Deps):
    form = await read_form(request)
    values = {"id": text(form, "id"), "kind": text(form, "kind"), "title": text(form, "title"),
              "body": str(form.get("body") or "").strip()}
    try:
        reply_id = UUID(values["id"]) if values["id"] else None
    except ValueError:
        reply_id = None
    if values["kind"] not in staff.kinds():
        return await _replies(request, staff, uow, deps, errors={"kind": "choice"}, values=values, status=422)
    try:
        await handlers.save_reply(handlers.SaveReply(values["kind"], values["title"], values["body"],
                                                     staff.identity.sub, reply_id), uow, deps)
    except InvalidInput as invalid:
        return await _replies(request, staff, uow, deps, errors={invalid.field: invalid.errors[0]["code"]},
                              values=values, status=422)
    return see_other("/staff/replies?done=saved")


@router.post("/staff/replies/{reply_id}/delete")
async def delete_reply(request: Request, reply_id: UUID, staff: ReplyEditor, uow: UnitOfWorkDep, deps: Deps):
    await read_form(request)
    await handlers.delete_reply(handlers.DeleteReply(reply_id, staff.identity.sub), uow, deps)
    return see_other("/staff/replies?done=deleted")
