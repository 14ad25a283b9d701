"""Standard replies per kind of filing: supervisors write them (the policy's ``replies``), anyone
answering a filing of that kind starts from one. Each change is audited."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from services.portal import repository
from services.portal.deps import PortalDeps
from services.portal.domain.commands import DeleteReply, ListReplies, SaveReply
from services.portal.domain.staff import checked_reply
from shared.errors import InvalidInput, NotFound
from shared.unit_of_work import UnitOfWork


async def list_replies(query: ListReplies, uow: UnitOfWork, deps: PortalDeps) -> list[dict[str, Any]]:
    return await repository.list_replies(uow.conn, query.kinds)


async def save_reply(command: SaveReply, uow: UnitOfWork, deps: PortalDeps) -> UUID:
    kind, title, body = checked_reply(command.kind, command.title, command.body, list(deps.catalogue.kinds))
    if command.reply_id is not None and await repository.get_reply(uow.conn, command.reply_id) is None:
        raise NotFound("There is no such standard reply.")
    reply_id = command.reply_id or uuid4()
    if not await repository.upsert_reply(uow.conn, reply_id, kind, title, body, command.actor):
        raise InvalidInput("title", "another reply of this kind has this title", code="taken")
    await repository.audit(uow.conn, actor=command.actor, action="reply_saved", subject=str(reply_id),
                           details={"kind": kind, "title": title})
    return reply_id


async def delete_reply(command: DeleteReply, uow: UnitOfWork, deps: PortalDeps) -> None:
    deleted = await repository.delete_reply(uow.conn, command.reply_id)
    if deleted is None:
        raise NotFound("There is no such standard reply.")
    await repository.audit(uow.conn, actor=command.actor, action="reply_deleted", subject=str(command.reply_id),
                           details={"kind": deleted["kind"], "title": deleted["title"]})
