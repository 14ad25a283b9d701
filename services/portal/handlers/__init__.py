"""The portal's application logic over its own schema, each ``verb_noun(message, uow, deps)``:
the staff directory (sign-in, sessions, accounts) and the standard replies. Their commands and
queries are in domain/commands.py."""

from services.portal.handlers.directory import (
    add_staff,
    change_roles,
    current_staff,
    disable_staff,
    list_staff,
    reset_password,
    sign_in,
    sign_out,
    unlock_staff,
)
from services.portal.handlers.replies import delete_reply, list_replies, save_reply

__all__ = [
    "add_staff", "change_roles", "current_staff", "delete_reply", "disable_staff", "list_replies", "list_staff",
    "reset_password", "save_reply", "sign_in", "sign_out", "unlock_staff",
]
