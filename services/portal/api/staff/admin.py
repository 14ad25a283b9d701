"""The staff directory's admin page (the policy's ``directory``: admin) and the standard replies
(``replies``: supervisors). Both write the portal's own schema through its handlers, in the
request's unit of work; every change is audited."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from services.portal import handlers
from services.portal.api.staff.pages import staff_page
from services.portal.api.staff.session import StaffContext, allowed
from services.portal.api.web import text
from services.portal.domain import commands
from services.portal.domain.errors import PageNotFound
from shared.auth import ROLES
from shared.deps import UnitOfWorkDep
from shared.errors import InvalidInput
from shared.unit_of_work import UnitOfWork

router = APIRouter(include_in_schema=False)
Admin, ReplyEditor = allowed("directory"), allowed("replies")
ACCOUNT_ACTIONS = ("disable", "enable", "unlock", "password", "roles")


async def _directory(staff: StaffContext, uow: UnitOfWork, *, errors: dict | None = None,
                     values: dict | None = None, status: int = 200) -> HTMLResponse:
    accounts, trail = await handlers.list_staff(commands.ListStaff(audit_limit=50), uow, staff.deps)
    now = staff.deps.clock()
    done = staff.web.request.query_params.get("done")
    return await staff_page(staff, "staff/admin.html", {
        "accounts": [(a, a.locked(now)) for a in accounts], "trail": trail, "roles": ROLES,
        "errors": errors or {}, "values": values or {}, "done": done if done in ("added", *ACCOUNT_ACTIONS) else None},
        status=status)


@router.get("/staff/admin", response_class=HTMLResponse)
async def staff_directory(staff: Admin, uow: UnitOfWorkDep):
    return await _directory(staff, uow)


@router.post("/staff/admin", response_class=HTMLResponse)
async def add_staff_member(staff: Admin, uow: UnitOfWorkDep):
    form = await staff.web.form()
    values = {"email": text(form, "email"), "full_name": text(form, "full_name"), "roles": form.getlist("roles")}
    try:
        await handlers.add_staff(commands.AddStaff(values["email"], values["full_name"], list(values["roles"]),
                                                   str(form.get("password") or ""), staff.identity.sub), uow, staff.deps)
    except InvalidInput as invalid:
        return await _directory(staff, uow, errors={invalid.field: invalid.errors[0]["code"]},
                                values=values, status=422)
    return staff.redirect("staff_directory", query={"done": "added"})


@router.post("/staff/admin/{email}/{action}", response_class=HTMLResponse)
async def change_staff_member(email: str, action: str, staff: Admin, uow: UnitOfWorkDep):
    if action not in ACCOUNT_ACTIONS:
        raise PageNotFound()
    form = await staff.web.form()
    actor = staff.identity.sub
    try:
        if action in ("disable", "enable"):
            await handlers.disable_staff(commands.DisableStaff(email, actor, action == "disable"), uow, staff.deps)
        elif action == "unlock":
            await handlers.unlock_staff(commands.UnlockStaff(email, actor), uow, staff.deps)
        elif action == "password":
            await handlers.reset_password(commands.ResetPassword(email, str(form.get("password") or ""), actor),
                                          uow, staff.deps)
        else:
            await handlers.change_roles(commands.ChangeRoles(email, list(form.getlist("roles")), actor), uow, staff.deps)
    except InvalidInput as invalid:
        return await _directory(staff, uow, errors={f"{email}:{invalid.field}": invalid.errors[0]["code"]},
                                status=422)
    return staff.redirect("staff_directory", query={"done": action})


async def _replies(staff: StaffContext, uow: UnitOfWork, *, errors: dict | None = None,
                   values: dict | None = None, status: int = 200) -> HTMLResponse:
    kinds = await staff.kinds()
    replies = await handlers.list_replies(commands.ListReplies(kinds), uow, staff.deps)
    editing = staff.web.request.query_params.get("edit")
    values = values or next(({"id": str(r["id"]), "kind": r["kind"], "title": r["title"], "body": r["body"]}
                             for r in replies if str(r["id"]) == editing), {})
    done = staff.web.request.query_params.get("done")
    return await staff_page(staff, "staff/replies.html", {
        "replies": replies, "kinds": kinds, "errors": errors or {}, "values": values,
        "done": done if done in ("saved", "deleted") else None}, status=status)


@router.get("/staff/replies", response_class=HTMLResponse)
async def standard_replies(staff: ReplyEditor, uow: UnitOfWorkDep):
    return await _replies(staff, uow)


@router.post("/staff/replies", response_class=HTMLResponse)
async def save_standard_reply(staff: ReplyEditor, uow: UnitOfWorkDep):
    form = await staff.web.form()
    values = {"id": text(form, "id"), "kind": text(form, "kind"), "title": text(form, "title"),
              "body": str(form.get("body") or "").strip()}
    try:
        reply_id = UUID(values["id"]) if values["id"] else None
    except ValueError:
        reply_id = None
    if values["kind"] not in await staff.kinds():
        return await _replies(staff, uow, errors={"kind": "choice"}, values=values, status=422)
    try:
        await handlers.save_reply(commands.SaveReply(values["kind"], values["title"], values["body"],
                                                     staff.identity.sub, reply_id), uow, staff.deps)
    except InvalidInput as invalid:
        return await _replies(staff, uow, errors={invalid.field: invalid.errors[0]["code"]},
                              values=values, status=422)
    return staff.redirect("standard_replies", query={"done": "saved"})


@router.post("/staff/replies/{reply_id}/delete")
async def delete_standard_reply(reply_id: UUID, staff: ReplyEditor, uow: UnitOfWorkDep):
    await staff.web.form()
    await handlers.delete_reply(commands.DeleteReply(reply_id, staff.identity.sub), uow, staff.deps)
    return staff.redirect("standard_replies", query={"done": "deleted"})
