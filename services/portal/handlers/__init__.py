"""The portal's application logic over its own schema, each ``verb_noun(message, uow, deps)``:
the staff directory (sign-in, sessions, accounts) and the standard replies."""

from services.portal.handlers.directory import (
    AddStaff,
    ChangeRoles,
    CurrentStaff,
    DisableStaff,
    ListStaff,
    ResetPassword,
    SignIn,
    SignOut,
    UnlockStaff,
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
from services.portal.handlers.replies import DeleteReply, ListReplies, SaveReply, delete_reply, list_replies, save_reply

__all__ = [
    "AddStaff", "ChangeRoles", "CurrentStaff", "DeleteReply", "DisableStaff", "ListReplies", "ListStaff",
    "ResetPassword", "SaveReply", "SignIn", "SignOut", "UnlockStaff", "add_staff", "change_roles", "current_staff",
    "delete_reply", "disable_staff", "list_replies", "list_staff", "reset_password", "save_reply", "sign_in",
    "sign_out", "unlock_staff",
]
